import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A broker's daily download (its instrument master), fetched at most once per day: kept in
 * memory by the caller, and on disk under `cacheDir` (when given) as `<name>-<day>.<ext>`, so
 * that successive commands on the same day do not download it again.
 */
export async function downloadOncePerDay(options: { day: string; name: string; ext: string; cacheDir?: string; fetch: () => Promise<string> }): Promise<string> {
  const { cacheDir } = options;
  const file = cacheDir ? join(cacheDir, `${options.name}-${options.day}.${options.ext}`) : undefined;
  if (file && existsSync(file)) return readFileSync(file, 'utf8');
  const text = await options.fetch();
  if (file && cacheDir) {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  }
  return text;
}

/**
 * Something built from a daily download (an instrument master), built at most once per day and
 * shared by concurrent callers.
 */
export class DailyCatalog<T> {
  private loaded?: { day: string; value: T };
  private inflight?: Promise<T>;

  constructor(
    private readonly source: {
      name: string;
      ext: string;
      cacheDir?: string;
      /** Today's date as the broker counts days ("YYYY-MM-DD"). */
      today: () => string;
      fetch: () => Promise<string>;
      parse: (text: string) => T;
    },
  ) {}

  async get(): Promise<T> {
    const day = this.source.today();
    if (this.loaded?.day === day) return this.loaded.value;
    this.inflight ??= this.load(day).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async load(day: string): Promise<T> {
    const { name, ext, cacheDir, fetch, parse } = this.source;
    const value = parse(await downloadOncePerDay({ day, name, ext, cacheDir, fetch }));
    this.loaded = { day, value };
    return value;
  }
}
