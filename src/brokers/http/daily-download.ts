import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A download that changes once a day (a broker's instrument master): fetched at most once per
 * `day`, kept in memory, and on disk under `cacheDir` (when given) so that successive commands on
 * the same day do not download it again. Concurrent callers share one fetch.
 */
export class DailyDownload<T> {
  private loaded?: { day: string; value: T };
  private inflight?: Promise<T>;

  constructor(
    private readonly options: {
      /** The file name's stem in the cache (`upstox-instruments`). */
      name: string;
      fetch: () => Promise<string>;
      parse: (text: string) => T;
      /** The day the cache is for now ("YYYY-MM-DD" in the broker's time zone). */
      day: () => string;
      cacheDir?: string;
    },
  ) {}

  async get(): Promise<T> {
    const day = this.options.day();
    if (this.loaded?.day === day) return this.loaded.value;
    this.inflight ??= this.load(day).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async load(day: string): Promise<T> {
    const { cacheDir, name } = this.options;
    const file = cacheDir ? join(cacheDir, `${name}-${day}`) : undefined;
    let text: string | undefined;
    if (file && existsSync(file)) text = readFileSync(file, 'utf8');
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
