import { formatMinor } from '../domain/money.js';

/**
 * Display helpers shared by the dashboard panels and the plain progress lines. Everything here
 * returns plain strings of a known visible width, so the panels can lay out 80 columns exactly.
 * The market clock is shown in exchange time (src/market/time-zone.ts).
 */
export { exchangeTimeZone, formatClock, zoneLabel } from '../market/time-zone.js';

/** `1h02m`, `4m05s`, `12s`; negative or unknown durations render as `—`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** A price in minor units as a decimal, or `—` when unknown. */
export function formatPrice(minor: number | null | undefined): string {
  if (minor === null || minor === undefined || !Number.isFinite(minor)) return '—';
  return formatMinor(Math.round(minor));
}

/** Basis points with sign and one decimal: `+12.5`, `-3.0`, `0.0`; `—` when unknown. */
export function formatBps(bps: number | null | undefined): string {
  if (bps === null || bps === undefined || !Number.isFinite(bps)) return '—';
  const rounded = Math.round(bps * 10) / 10;
  if (rounded === 0) return '0.0';
  return `${rounded > 0 ? '+' : ''}${rounded.toFixed(1)}`;
}

/** A fraction 0..1 as a percentage: `42%`, `8.5%` below 10; `—` when unknown. */
export function formatPercent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  const pct = fraction * 100;
  if (pct > 0 && pct < 10) return `${pct.toFixed(1)}%`;
  return `${Math.round(pct)}%`;
}

/** Integer quantity with thousands separators (fixed locale, so output does not depend on the host). */
export function formatQuantity(quantity: number): string {
  return quantity.toLocaleString('en-US');
}

/**
 * A progress bar of `width` cells for filled/total. Uses block characters; with `ascii` it uses
 * `#` and `.` for terminals that cannot draw them. Never shows full unless everything is filled.
 */
export function progressBar(filled: number, total: number, width: number, ascii = false): string {
  const full = ascii ? '#' : '█';
  const empty = ascii ? '.' : '░';
  if (width <= 0) return '';
  const fraction = total > 0 ? Math.min(1, Math.max(0, filled / total)) : 0;
  let cells = Math.floor(fraction * width);
  if (fraction > 0 && cells === 0) cells = 1;
  if (fraction < 1 && cells === width) cells = width - 1;
  return full.repeat(cells) + empty.repeat(width - cells);
}

/** Visible width of a plain string (code points; the dashboard only draws single-width characters). */
export function width(text: string): number {
  return [...text].length;
}

/** Cuts `text` to `max` visible characters, marking the cut with `…`. */
export function truncate(text: string, max: number): string {
  if (max <= 0) return '';
  const chars = [...text];
  if (chars.length <= max) return text;
  if (max === 1) return '…';
  return `${chars.slice(0, max - 1).join('')}…`;
}

/** Pads (or truncates) to exactly `size` visible characters. */
export function fit(text: string, size: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(text, size);
  const gap = ' '.repeat(Math.max(0, size - width(cut)));
  return align === 'right' ? gap + cut : cut + gap;
}
