import { appendFileSync, existsSync, mkdirSync, readdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { localDate } from '../market/time-zone.js';

/** How a log file is kept from growing without end (README "Running unattended"). */
export interface LogRotation {
  /** `size`: start a new file past `maxBytes`; `day`: a new file each local day. */
  rotate: 'size' | 'day';
  maxBytes: number;
  /** Old files kept besides the current one. */
  keep: number;
  /** The zone whose calendar days `day` rotation follows. */
  timeZone: string;
}

export const DEFAULT_ROTATION: Omit<LogRotation, 'timeZone'> = { rotate: 'size', maxBytes: 10 * 1024 * 1024, keep: 7 };

/**
 * An append-only NDJSON log: one JSON object per line, written at once (a crash loses nothing
 * written before it). Rotated when opened: by size, `log` → `log.1` → … → `log.<keep>`; by day,
 * the file of an earlier day becomes `log.YYYY-MM-DD`, and only the newest `keep` are kept.
 */
export class LogFile {
  constructor(
    readonly path: string,
    rotation: LogRotation,
    now: number,
  ) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    if (existsSync(path)) rotate(path, rotation, now);
  }

  write(record: Record<string, unknown>): void {
    appendFileSync(this.path, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  }
}

function rotate(path: string, r: LogRotation, now: number): void {
  const stat = statSync(path);
  if (r.rotate === 'size') {
    if (stat.size < r.maxBytes) return;
    if (existsSync(`${path}.${r.keep}`)) unlinkSync(`${path}.${r.keep}`);
    for (let n = r.keep - 1; n >= 1; n--) if (existsSync(`${path}.${n}`)) renameSync(`${path}.${n}`, `${path}.${n + 1}`);
    renameSync(path, `${path}.1`);
    return;
  }
  const written = localDate(r.timeZone, stat.mtimeMs);
  if (written === localDate(r.timeZone, now)) return;
  renameSync(path, `${path}.${written}`);
  const name = basename(path);
  const dated = readdirSync(dirname(path))
    .filter((f) => f.startsWith(`${name}.`) && /^\d{4}-\d{2}-\d{2}$/.test(f.slice(name.length + 1)))
    .sort();
  for (const old of dated.slice(0, Math.max(0, dated.length - r.keep))) unlinkSync(join(dirname(path), old));
}
