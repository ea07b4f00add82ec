import type { FillRecorded, OrderStatusChanged, RunAlert, StoredEvent } from '../../domain/events.js';
import { formatMinor } from '../../domain/money.js';
import type { Output } from '../../lib/output.js';

/**
 * One stderr line per meaningful step (CLI.md: progress without a dashboard): fills, leg
 * completions, rejections and alerts. Child acknowledgements are too chatty to print.
 */
export function progressPrinter(out: Output): (events: StoredEvent[]) => void {
  const parents = new Map<string, { symbol: string; side: string; quantity: number; filled: number }>();
  return (events) => {
    for (const e of events) {
      if (e.type === 'order.created') {
        const p = e.payload as { clientOrderId: string; parentId?: string; symbol: string; side: string; quantity: number };
        if (!p.parentId) parents.set(p.clientOrderId, { symbol: p.symbol, side: p.side, quantity: p.quantity, filled: 0 });
      } else if (e.type === 'fill.recorded') {
        const p = e.payload as FillRecorded['payload'];
        out.info(`fill  ${p.side.padEnd(4)} ${String(p.quantity).padStart(7)} ${p.symbol} @ ${formatMinor(p.price)}`);
      } else if (e.type === 'order.status') {
        const p = e.payload as OrderStatusChanged['payload'];
        const parent = parents.get(p.clientOrderId);
        if (parent && (p.to === 'filled' || p.to === 'expired' || p.to === 'cancelled')) {
          out.info(`leg   ${parent.side.padEnd(4)} ${String(parent.quantity).padStart(7)} ${parent.symbol}: ${p.to === 'filled' ? 'complete' : p.to}${p.reason ? ` (${p.reason})` : ''}`);
        }
      } else if (e.type === 'run.alert') {
        const p = e.payload as RunAlert['payload'];
        out.info(`${p.level === 'error' ? out.c.red('alert') : p.level === 'warn' ? out.c.yellow('warn ') : 'info '} ${p.message}`);
      }
    }
  };
}
