import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { fitImpact, type CalibrationFit, type CalibrationPoint } from '../engine/estimate/calibrate.js';
import type { CostModel } from '../engine/estimate/cost-model.js';
import { comparableActualBps } from '../engine/estimate/estimate-vs-actual.js';
import type { ExecutionStyle } from '../engine/estimate/execution-style.js';
import { runTca } from '../engine/tca/run-report.js';
import { ExitCode } from '../lib/exit-codes.js';
import { PostTradeQueries } from '../store/posttrade-queries.js';
import type { CommandResult } from './command-result.js';
import type { Factory } from './factory.js';
import { costModelPath, loadCostModel } from './loaders/cost-model.js';
import { dateFlag } from './named-inputs.js';
import { plannedEstimates } from './tca-service.js';

export interface CalibrateRequest {
  broker?: string;
  since?: string;
  until?: string;
  dryRun: boolean;
}

/** The fit of one execution style's coefficient: `taking` → `temporary_impact`, `passive` → `passive.temporary_impact`. */
export interface StyleFit {
  style: ExecutionStyle;
  fit: CalibrationFit;
  before: number;
}

export interface Calibration {
  fits: StyleFit[];
  runs: number;
  /** Where the fitted model was written; null with `--dry-run`. */
  written: string | null;
}

/**
 * `ptexec tca calibrate`: fits the temporary impact coefficient η to the user's own executed legs
 * (every run with estimates, filtered by broker and trading date), one η per execution style
 * (legs whose orders took liquidity, and legs whose orders rested at the touch), and writes the
 * model where the estimator reads it first (the config folder's cost-model.json), unless
 * `--dry-run`.
 */
export async function calibrateCostModel(f: Factory, request: CalibrateRequest): Promise<CommandResult & { calibration: Calibration }> {
  if (request.since) dateFlag('since', request.since);
  if (request.until) dateFlag('until', request.until);
  const queries = new PostTradeQueries(f.store());
  const broker = request.broker?.toLowerCase();
  const runs = queries.runs().filter((r) => (!broker || r.broker === broker) && (!request.since || r.tradingDate >= request.since) && (!request.until || r.tradingDate <= request.until));
  const schedules = await f.chargeSchedules();
  const { model, source } = loadCostModel(f.env);
  const points: CalibrationPoint[] = [];
  let used = 0;
  for (const run of runs) {
    const estimates = plannedEstimates(f.store(), run.runId);
    if (!estimates.size) continue;
    const before = points.length;
    for (const leg of runTca(queries, schedules, run.runId).legs) {
      const e = leg.leg === null ? undefined : estimates.get(leg.leg);
      if (!e || e.impactScaleBps === null || leg.filled === 0) continue;
      points.push({ style: e.style ?? 'taking', impactScaleBps: e.impactScaleBps, fixedBps: (e.spreadCostBps ?? e.halfSpreadBps) + e.permanentImpactBps / 2, actualBps: comparableActualBps(leg) });
    }
    if (points.length > before) used++;
  }
  const fits = STYLES.flatMap((style): StyleFit[] => {
    const before = style === 'passive' ? (model.passive?.temporary_impact ?? model.temporary_impact) : model.temporary_impact;
    const fit = fitImpact(points.filter((p) => (p.style ?? 'taking') === style), before);
    return fit ? [{ style, fit, before }] : [];
  });
  const where = [broker ? `broker ${broker}` : '', request.since ? `since ${request.since}` : '', request.until ? `until ${request.until}` : ''].filter(Boolean).join(', ');
  if (!fits.length) throw new InvalidInputError(`no executed leg with a cost estimate to fit${where ? ` (${where})` : ''}`, 'run rebalances first (their plans record the estimates), or widen --broker/--since/--until');
  let written: string | null = null;
  if (!request.dryRun) {
    written = costModelPath(f.env);
    const n = fits.reduce((sum, s) => sum + s.fit.n, 0);
    const calibration = { fitted_at: new Date(f.wallNow()).toISOString(), n, r2: fits.length === 1 ? fits[0]!.fit.r2 : null, broker: broker ?? null, since: request.since ?? null, until: request.until ?? null };
    mkdirSync(dirname(written), { recursive: true });
    writeFileSync(written, `${JSON.stringify({ ...fittedModel(model, fits), calibration }, null, 2)}\n`);
  }
  return {
    exitCode: ExitCode.ok,
    calibration: { fits, runs: used, written },
    json: {
      n: fits.reduce((sum, s) => sum + s.fit.n, 0),
      runs: used,
      fits: fits.map(({ style, fit, before }) => ({
        style,
        n: fit.n,
        coefficient_before: before,
        coefficient: round(fit.coefficient, 4),
        r2: fit.r2 === null ? null : round(fit.r2, 4),
        rmse_before_bps: round(fit.rmseBeforeBps, 2),
        rmse_after_bps: round(fit.rmseAfterBps, 2),
      })),
      model_before: source,
      written,
      dry_run: request.dryRun,
    },
  };
}

const STYLES: readonly ExecutionStyle[] = ['taking', 'passive'];

/** The model with each fitted style's coefficient in its place; a passive fit without a passive section earns no spread. */
function fittedModel(model: CostModel, fits: readonly StyleFit[]): CostModel {
  let fitted = model;
  for (const { style, fit } of fits) {
    const coefficient = round(fit.coefficient, 4);
    fitted = style === 'taking' ? { ...fitted, temporary_impact: coefficient } : { ...fitted, passive: { spread_paid: fitted.passive?.spread_paid ?? 1, temporary_impact: coefficient } };
  }
  return fitted;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
