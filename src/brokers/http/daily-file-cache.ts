import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../domain/clock.js';

export interface DailyFileCacheOptions<T> {
  /** Downloads the file (a broker's instrument master). */
  fetch: () => Promise<string>;
  parse: (text: string) => T;
  clock: Clock;
  /** The trading day of an instant ("YYYY-MM-DD"): the file is fetched again when it changes. */
  day: (now: number) => string;
  /** Where the day's file is kept between commands; memory only when absent. */
  cacheDir?: string;
  /** The cached file's name stem (`zerodha-instruments` → `zerodha-instruments-<day>.csv`). */
  name: string;
  /** The cached file's extension (`csv` unless said). */
  ext?: string;
}

/**
 * A file fetched at most once per trading day: kept in memory, and on disk under `cacheDir` (when
 * given) so that successive commands on the same day do not download it again. Concurrent
 * callers share one download.
 */
export class DailyFileCache<T> {
  private loaded?: { day: string; value: T };
  private inflight?: Promise<T>;

  constructor(private readonly options: DailyFileCacheOptions<T>) {}

  async get(): Promise<T> {
    const day = this.options.day(this.options.clock.now());
    if (this.loaded?.day === day) return this.loaded.value;
    this.inflight ??= this.load(day).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async load(day: string): Promise<T> {
    const { cacheDir, name } = this.options;
    const file = cacheDir ? join(cacheDir, `${name}-${day}.${this.options.ext ?? 'csv'}`) : undefined;
    let text = file && existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (text === undefined) {
      text = await this.options.fetch();
      if (file && cacheDir) {
        mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, text);
        renameSync(tmp, file);
      }
    }
    const value = this.options.parse(text);
    this.loaded = { day, value };
    return value;
  }
}
