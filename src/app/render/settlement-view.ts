import { formatMinor } from '../../domain/money.js';
import type { SettlementReport } from '../../engine/settlement/settlement-report.js';
import type { Output } from '../../lib/output.js';

export function renderSettlement(out: Output, report: SettlementReport): void {
  out.table(
    ['settles', 'trades', 'pending', 'settled', 'failed', 'cash due', 'shares due'],
    report.days.map((d) => [
      d.settleDate,
      d.trades,
      d.pending,
      d.settled,
      d.failed ? out.c.red(String(d.failed)) : 0,
      d.cash.map((c) => `${c.currency} ${formatMinor(c.amount)}`).join(', '),
      d.quantities.map((q) => `${q.symbol} ${q.quantity > 0 ? '+' : ''}${q.quantity}`).join(', '),
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'l'],
  );
  out.data('');
  out.table(
    ['trade', 'symbol', 'side', 'traded', 'settles', 'status', 'shares', 'cash', 'charges', 'note'],
    report.trades.map((t) => [
      t.tradeId,
      t.symbol,
      t.side,
      t.tradeDate,
      t.settleDate,
      t.status === 'failed' ? out.c.red(t.status) : t.status === 'settled' ? out.c.green(t.status) : t.status,
      t.quantity,
      formatMinor(t.cash),
      formatMinor(t.charges),
      t.status === 'failed' ? `${t.difference ?? ''} not moved: ${t.reason ?? ''}` : '',
    ]),
    ['l', 'l', 'l', 'l', 'l', 'l', 'r', 'r', 'r', 'l'],
  );
}
