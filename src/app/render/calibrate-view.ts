import type { Output } from '../../lib/output.js';
import type { Calibration } from '../tca-calibrate-service.js';

const COEFFICIENT = { taking: 'η (taking)', passive: 'η (passive)' } as const;

/** The fit of `ptexec tca calibrate`: per execution style n, the coefficient before and after, R², the error before and after; where it went. */
export function renderCalibration(out: Output, { fits, runs, written }: Calibration): void {
  out.data(`fitted the temporary impact coefficients to ${fits.reduce((n, s) => n + s.fit.n, 0)} legs of ${runs} run(s)`);
  for (const { style, fit, before } of fits) {
    out.data(`  ${COEFFICIENT[style]} ${before} → ${fit.coefficient.toFixed(4)} over ${fit.n} legs; R² ${fit.r2 === null ? '-' : fit.r2.toFixed(3)}; RMS error ${fit.rmseBeforeBps.toFixed(1)} → ${fit.rmseAfterBps.toFixed(1)} bps`);
  }
  out.data(written ? `  written to ${written}` : '  not written (--dry-run)');
}
