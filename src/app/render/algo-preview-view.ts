import { formatExchangeTime } from '../../market/exchange-time.js';
import type { Exchange } from '../../domain/instrument.js';
import type { PreviewRow } from '../../engine/algos/schedule-preview.js';
import type { Output } from '../../lib/output.js';
import type { Column } from '../../lib/table.js';
import type { AlgoPreview } from '../algo-preview-service.js';

/** `ptexec algo preview`: the schedule, one row per period, then the model's figures. */
export function renderAlgoPreview(out: Output, result: AlgoPreview, exchange: Exchange): void {
  const extras: { header: string; value: (r: PreviewRow) => string }[] = [];
  if (result.rows.some((r) => r.volumeShare !== undefined)) extras.push({ header: 'volume share', value: (r) => `${((r.volumeShare ?? 0) * 100).toFixed(2)}%` });
  if (result.rows.some((r) => r.marketVolume !== undefined)) extras.push({ header: 'market volume', value: (r) => String(r.marketVolume ?? 0) });
  const timeHeader = result.timeKind === 'clock' ? `time (${exchange})` : result.timeKind === 'units' ? 't' : undefined;
  const columns: Column[] = [
    { header: 'period', align: 'right' },
    ...(timeHeader ? [{ header: timeHeader }] : []),
    { header: 'quantity', align: 'right' },
    { header: 'cumulative', align: 'right', priority: 2 },
    { header: 'remaining', align: 'right', priority: 1 },
    ...extras.map((e): Column => ({ header: e.header, align: 'right', priority: 3 })),
  ];
  const rows = result.rows.map((r) => [
    r.period,
    ...(timeHeader ? [result.timeKind === 'clock' ? formatExchangeTime(exchange, r.time ?? 0) : formatModelNumber(r.time ?? 0)] : []),
    r.quantity,
    r.cumulative,
    r.remaining,
    ...extras.map((e) => e.value(r)),
  ]);
  out.table(columns, rows);
  for (const note of result.notes) out.data(note);
}

/** The preview as `--json`: its parameters and the schedule. */
export function algoPreviewJson(result: AlgoPreview): Record<string, unknown> {
  return { ...result.json, schedule: result.rows.map((r) => rowJson(r, result.timeKind)) };
}

/** A model figure at eight significant digits, in exponent form when very small or large. */
export function formatModelNumber(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  return abs >= 1e-3 && abs < 1e9 ? String(Number(value.toPrecision(8))) : Number(value.toPrecision(8)).toExponential();
}

function rowJson(r: PreviewRow, timeKind: AlgoPreview['timeKind']): Record<string, unknown> {
  const time = timeKind === 'clock' && r.time !== null ? new Date(r.time).toISOString() : r.time;
  const row: Record<string, unknown> = { period: r.period, time, quantity: r.quantity, cumulative: r.cumulative, remaining: r.remaining };
  if (r.volumeShare !== undefined) row['volume_share'] = r.volumeShare;
  if (r.marketVolume !== undefined) row['market_volume'] = r.marketVolume;
  return row;
}

