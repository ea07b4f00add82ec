import type { Output } from '../../lib/output.js';
import type { Calibration } from '../tca-calibrate-service.js';

/** The fit of `ptexec tca calibrate`: n, the coefficient before and after, R², the error before and after, where it went. */
export function renderCalibration(out: Output, { fit, before, runs, written }: Calibration): void {
  out.data(`fitted the temporary impact coefficient to ${fit.n} legs of ${runs} run(s)`);
  out.data(`  η ${before} → ${fit.coefficient.toFixed(4)}; R² ${fit.r2 === null ? '-' : fit.r2.toFixed(3)}; RMS error ${fit.rmseBeforeBps.toFixed(1)} → ${fit.rmseAfterBps.toFixed(1)} bps`);
  out.data(written ? `  written to ${written}` : '  not written (--dry-run)');
}
