import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LogFile } from '../../src/app/log-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ptexec-log-'));
  dirs.push(dir);
  return dir;
}

describe('run log files', () => {
  it('appends one JSON object per line, in a folder it creates', () => {
    const path = join(scratch(), 'logs', 'a.log');
    const log = new LogFile(path, { rotate: 'size', maxBytes: 1000, keep: 2, timeZone: 'UTC' }, Date.now());
    log.write({ kind: 'start' });
    log.write({ kind: 'end', exit_code: 0 });
    expect(readFileSync(path, 'utf8')).toBe('{"kind":"start"}\n{"kind":"end","exit_code":0}\n');
  });

  it('by size: past max_bytes the file becomes .1, .1 becomes .2, and no more than keep are kept', () => {
    const path = join(scratch(), 'r.log');
    const rotation = { rotate: 'size' as const, maxBytes: 10, keep: 2, timeZone: 'UTC' };
    for (const n of [1, 2, 3]) {
      writeFileSync(path, `run ${n} with more than ten bytes\n`);
      new LogFile(path, rotation, Date.now());
    }
    expect(existsSync(path)).toBe(false);
    expect(readFileSync(`${path}.1`, 'utf8')).toMatch(/run 3/);
    expect(readFileSync(`${path}.2`, 'utf8')).toMatch(/run 2/);
    expect(existsSync(`${path}.3`)).toBe(false);
    writeFileSync(path, 'small\n');
    new LogFile(path, rotation, Date.now());
    expect(readFileSync(path, 'utf8')).toBe('small\n');
  });

  it('by day: a file of an earlier day is renamed with its date, the newest keep dated files are kept', () => {
    const dir = scratch();
    const path = join(dir, 'd.log');
    const rotation = { rotate: 'day' as const, maxBytes: 0, keep: 2, timeZone: 'Asia/Kolkata' };
    for (const day of ['2026-03-01', '2026-03-02', '2026-03-03']) {
      writeFileSync(path, `${day}\n`);
      const at = new Date(`${day}T12:00:00+05:30`);
      utimesSync(path, at, at);
      new LogFile(path, rotation, Date.parse('2026-03-04T12:00:00+05:30'));
    }
    expect(readdirSync(dir).sort()).toEqual(['d.log.2026-03-02', 'd.log.2026-03-03']);
    writeFileSync(path, 'today\n');
    new LogFile(path, rotation, Date.now());
    expect(readFileSync(path, 'utf8')).toBe('today\n');
  });
});
