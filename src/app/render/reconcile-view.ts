import { formatMinor } from '../../domain/money.js';
import type { Output } from '../../lib/output.js';
import type { Reconciliation } from '../broker-account-service.js';
import { money } from './json-contract.js';

/** `ptexec reconcile`: both sides' positions, the cash, then each difference with its likely cause. */
export function renderReconciliation(out: Output, { id, account, result }: Reconciliation, accepted: boolean): void {
  if (result.positions.length) {
    out.table(
      [{ header: 'symbol' }, { header: 'ptexec', align: 'right' }, { header: 'broker', align: 'right' }, { header: 'broker T1', align: 'right' }],
      result.positions.map((p) => [p.symbol, p.ours, p.broker, p.brokerT1]),
    );
  }
  out.data(`cash (${result.cash.currency}): ptexec ${formatMinor(result.cash.ours)}, broker ${formatMinor(result.cash.broker)}`);
  if (result.differences.length === 0) out.data(out.c.green(`${id}/${account}: everything matches`));
  else {
    out.data('');
    out.data(out.c.bold(`${result.differences.length} difference(s):`));
    for (const d of result.differences) {
      const what = d.kind === 'cash' ? `cash ${formatMinor(d.difference)}` : `${d.symbol} ${d.difference > 0 ? '+' : ''}${d.difference}${d.kind === 'unsettled_quantity' ? ' unsettled' : ''}`;
      out.paragraph(`${out.c.yellow(what)}  [${d.cause}] ${d.explanation}`);
    }
  }
  for (const n of result.notes) out.info(`note: ${n}`);
  if (accepted) out.info('recorded the broker\'s state as the new baseline');
}

export function reconciliationJson({ id, account, baseline, result }: Reconciliation) {
  return {
    broker: id,
    account: account,
    baseline: baseline ? { seq: baseline.seq, taken_at: new Date(baseline.ts).toISOString(), reason: baseline.reason } : null,
    positions: result.positions.map((p) => ({ symbol: p.symbol, exchange: p.exchange, ours: p.ours, broker: p.broker, broker_t1: p.brokerT1 })),
    cash: { currency: result.cash.currency, ...money('ours', result.cash.ours, result.cash.currency), ...money('broker', result.cash.broker, result.cash.currency) },
    differences: result.differences.map((d) => ({
      kind: d.kind,
      symbol: d.symbol,
      exchange: d.exchange,
      // Cash differences are amounts of money; the others are quantities of shares.
      ...(d.kind === 'cash'
        ? { ...money('ours', d.ours, result.cash.currency), ...money('broker', d.broker, result.cash.currency), ...money('difference', d.difference, result.cash.currency) }
        : { ours: d.ours, broker: d.broker, difference: d.difference }),
      cause: d.cause,
      explanation: d.explanation,
    })),
    matches: result.differences.length === 0,
    notes: result.notes,
  };
}
