import { isLive, ORDER_STATUSES } from '../domain/order.js';

/** A list of values as an SQL `IN (…)` operand, quoted: for the fixed status groups of the domain. */
export function sqlList(values: Iterable<string>): string {
  return `(${[...values].map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')})`;
}

/** Order statuses in which the broker may still fill an order (`isLive`), as an SQL list. */
export const LIVE_ORDER_STATUSES = sqlList(ORDER_STATUSES.filter(isLive));
