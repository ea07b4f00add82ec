import type { LegStatus } from '../../domain/leg-status.js';

/**
 * The original service's result statuses, and which leg statuses each stands for:
 *
 * | status | leg status (ptexec) |
 * |---|---|
 * | `PENDING` | `planned`, `working`, `paused` — not ended yet |
 * | `FILLED` | `complete` |
 * | `PARTIALLY_FILLED` | `partial` — ended with part of it filled |
 * | `CANCELLED` | `cancelled` |
 * | `REJECTED` | `rejected` (the broker refused every order), `blocked` (the pre-trade checks refused it; `reason` names the rule) |
 * | `EXPIRED` | `unfilled` — ended with nothing filled (the horizon passed, a limit never reached) |
 *
 * A target line that needed no trade is not a result: it is in `skipped`, as in `--json`.
 */
export const RESULT_STATUSES = ['PENDING', 'FILLED', 'PARTIALLY_FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

const BY_LEG_STATUS: Record<Exclude<LegStatus, 'skipped'>, ResultStatus> = {
  planned: 'PENDING',
  working: 'PENDING',
  paused: 'PENDING',
  complete: 'FILLED',
  partial: 'PARTIALLY_FILLED',
  cancelled: 'CANCELLED',
  rejected: 'REJECTED',
  blocked: 'REJECTED',
  unfilled: 'EXPIRED',
};

export function resultStatus(leg: LegStatus): ResultStatus {
  return leg === 'skipped' ? 'PENDING' : BY_LEG_STATUS[leg];
}

/** One leg as the `results` of `--json` have it (lowercase side, leg status). */
interface CliResult {
  symbol: string;
  quantity: number;
  side: string;
  status: string;
  reason: string | null;
  [more: string]: unknown;
}

/**
 * `results` in the original response shape — `symbol`, `quantity`, `side` (`BUY`/`SELL`),
 * `status` (above), `reason` first — followed by ptexec's own fields, the leg status as
 * `leg_status`.
 */
export function originalResults(results: readonly CliResult[]) {
  return results.map(({ symbol, quantity, side, status, reason, ...more }) => ({
    symbol,
    quantity,
    side: side.toUpperCase() as 'BUY' | 'SELL',
    status: resultStatus(status as LegStatus),
    reason,
    leg_status: status,
    ...more,
  }));
}

/** A CLI result document (rebalance `--json`) as `POST /execute` answers it: the same, with `results` in the original shape and where to follow the run. */
export function executeResponse(json: Record<string, unknown> & { run_id: string; results: CliResult[] }) {
  return { ...json, results: originalResults(json.results), status_url: `/execute/${encodeURIComponent(json.run_id)}`, run_url: `/runs/${encodeURIComponent(json.run_id)}` };
}
