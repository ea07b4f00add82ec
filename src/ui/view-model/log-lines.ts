import type { AlertLevel, AlertView, FillView } from './dashboard-model.js';
import { formatClock, formatPrice, formatQuantity } from '../format.js';

/** One line of the append-only log above the live region (fills and alerts, oldest first). */
export interface LogLine {
  key: string;
  seq: number;
  kind: 'fill' | 'alert';
  level: AlertLevel | null;
  text: string;
}

export interface LogLineOptions {
  /** Above this many fills in one frame, fills are summarised per symbol and side. */
  maxFillLines?: number;
  timeZone?: string;
}

/**
 * Turns the fills and alerts of one frame into log lines. A burst of fills (thousands a second
 * from an aggressive algorithm) becomes one honest summary line per symbol and side — count,
 * shares and average price — instead of a scroll no one can read; every fill stays in the
 * database (`ptexec watch --json` streams them all).
 */
export function logLines(fills: readonly FillView[], alerts: readonly AlertView[], options: LogLineOptions = {}): LogLine[] {
  const maxFillLines = options.maxFillLines ?? 12;
  const time = (ts: number) => formatClock(ts, options.timeZone);
  const lines: LogLine[] = [];
  if (fills.length <= maxFillLines) {
    for (const f of fills) {
      lines.push({ key: `f${f.seq}`, seq: f.seq, kind: 'fill', level: null, text: `${time(f.ts)}  ${sideLabel(f.side)}  ${f.symbol}  ${formatQuantity(f.quantity)} @ ${formatPrice(f.price)}` });
    }
  } else {
    const groups = new Map<string, { first: FillView; last: FillView; count: number; quantity: number; value: number }>();
    for (const f of fills) {
      const id = `${f.symbol}|${f.side}`;
      const g = groups.get(id);
      if (g) {
        g.last = f;
        g.count += 1;
        g.quantity += f.quantity;
        g.value += f.quantity * f.price;
      } else {
        groups.set(id, { first: f, last: f, count: 1, quantity: f.quantity, value: f.quantity * f.price });
      }
    }
    // A burst over more instruments than lines (a market rebalance of thousands of legs) keeps the
    // first instruments' lines and says in one line what the rest traded.
    const shown = groups.size > maxFillLines ? [...groups.values()].slice(0, maxFillLines - 1) : [...groups.values()];
    if (shown.length < groups.size) {
      const rest = [...groups.values()].slice(shown.length);
      const count = rest.reduce((n, g) => n + g.count, 0);
      const last = rest.reduce((a, g) => (g.last.seq > a.seq ? g.last : a), rest[0]!.last);
      lines.push({ key: `m${rest[0]!.first.seq}-${last.seq}`, seq: last.seq, kind: 'fill', level: null, text: `${time(last.ts)}  … ${formatQuantity(count)} more fills in ${formatQuantity(new Set(rest.map((g) => g.first.symbol)).size)} more symbols` });
    }
    for (const g of shown) {
      const avg = g.quantity > 0 ? g.value / g.quantity : null;
      const what = g.count === 1 ? `${formatQuantity(g.quantity)} @ ${formatPrice(avg)}` : `${formatQuantity(g.quantity)} in ${formatQuantity(g.count)} fills @ avg ${formatPrice(avg)}`;
      lines.push({
        key: `g${g.first.seq}-${g.last.seq}-${g.first.symbol}-${g.first.side}`,
        seq: g.last.seq,
        kind: 'fill',
        level: null,
        text: `${time(g.last.ts)}  ${sideLabel(g.first.side)}  ${g.first.symbol}  ${what}`,
      });
    }
  }
  alerts.forEach((a, i) => {
    lines.push({ key: `a${a.seq}-${i}`, seq: a.seq, kind: 'alert', level: a.level, text: `${time(a.ts)}  ${alertMark(a.level)} ${a.message}` });
  });
  return lines.sort((a, b) => a.seq - b.seq);
}

export function sideLabel(side: string): string {
  return side === 'sell' ? 'SELL' : 'BUY ';
}

export function alertMark(level: AlertLevel): string {
  return level === 'error' ? '✖' : level === 'warn' ? '!' : '·';
}
