import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { findRun, getOrder, type OrderRow, type RunRow } from '../store/queries.js';
import type { Store } from '../store/store.js';

/**
 * A run named on the command line (its id, or a prefix of at least 4 characters that matches one
 * run). A name that matches nothing is a usage error (exit 2), never an empty report.
 */
export function runNamed(store: Store, name: string): RunRow {
  const run = findRun(store, name);
  if (!run) throw new InvalidInputError(`no run ${name}`, 'list runs with `ptexec runs` (a prefix must match exactly one run)');
  return run;
}

/** An order named on the command line by its client or broker order id; no match is exit 2. */
export function orderNamed(store: Store, id: string): OrderRow {
  const order = getOrder(store, id);
  if (!order) throw new InvalidInputError(`no order ${id}`, 'list orders with `ptexec orders` (`--parents` for legs)');
  return order;
}

/** A calendar date given as `--flag YYYY-MM-DD`; anything else, or a day that does not exist, is exit 2. */
export function dateFlag(flag: string, value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!date || date.toISOString().slice(0, 10) !== value) throw new InvalidInputError(`--${flag} ${value} is not a date`, `write it as YYYY-MM-DD, e.g. --${flag} 2026-01-05`);
  return value;
}
