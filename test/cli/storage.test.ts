import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import { CliSandbox, collect, ROOT, type CliResult } from './cli-harness.js';

/**
 * Every way the database can be unusable, as the user meets it: exit 7 (never 1, "a bug"), the
 * database's path, and what to do. File modes do not stop root, so where the test runs as root
 * the cases about permissions run ptexec as the unprivileged user `nobody`.
 */
const box = new CliSandbox();
afterAll(() => box.cleanup());
chmodSync(box.dir, 0o755);
const asRoot = process.getuid?.() === 0;

/** Runs ptexec; as `nobody` (a process of its own) where the case is about permissions and the test runs as root. */
function run(args: string[], options: { unprivileged?: boolean } = {}): Promise<CliResult> {
  if (!(options.unprivileged && asRoot)) return box.run(args);
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'run.js'), ...args], { cwd: ROOT, env: box.env(), stdio: ['pipe', 'pipe', 'pipe'], uid: 65534, gid: 65534 });
  return collect(child, undefined, 60_000);
}

/** A ptexec database with some history, at `path`. */
function database(path: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  const store = openDatabase(path);
  for (let i = 0; i < 40; i++) store.append(Array.from({ length: 50 }, (_, j) => ({ runId: null, type: 'run.alert', payload: { level: 'info', source: 'test', message: `message ${i}.${j} `.repeat(10) } })));
  store.close();
  return path;
}

const cases: { name: string; make: (dir: string) => string; said: RegExp; fix: RegExp; unprivileged?: boolean; command?: string[] }[] = [
  {
    name: 'a file that is not a database',
    make: (dir) => {
      writeFileSync(join(dir, 'notes.db'), 'my trading notes\n'.repeat(100));
      return join(dir, 'notes.db');
    },
    said: /is not a ptexec database/,
    fix: /check that --db or PTEXEC_DB names the ptexec database \(or a new file\), or restore it from a backup/,
  },
  {
    name: 'a truncated database',
    make: (dir) => {
      const path = database(join(dir, 'cut.db'));
      truncateSync(path, Math.floor(statSync(path).size / 2));
      return path;
    },
    said: /is damaged \(database disk image is malformed/,
    fix: /restore it from a backup/,
  },
  {
    name: 'a folder at the path',
    make: (dir) => {
      mkdirSync(join(dir, 'folder.db'));
      return join(dir, 'folder.db');
    },
    said: /is a folder, not a file/,
    fix: /--db .*folder\.db\/ptexec\.db/,
  },
  {
    name: 'a read-only database in a read-only folder',
    make: (dir) => {
      const path = database(join(dir, 'readonly', 'ptexec.db'));
      chmodSync(path, 0o444);
      chmodSync(join(dir, 'readonly'), 0o555);
      return path;
    },
    said: /cannot be written: the file or its folder is read-only for this user/,
    fix: /chmod u\+w .*readonly\/ptexec\.db .*readonly`/,
    unprivileged: true,
  },
  {
    name: 'a folder the user may not enter',
    make: (dir) => {
      const path = database(join(dir, 'private', 'ptexec.db'));
      chmodSync(join(dir, 'private'), asRoot ? 0o700 : 0o000);
      return path;
    },
    said: /cannot be opened \(EACCES/,
    fix: /ls -ld .*private`/,
    unprivileged: true,
  },
  {
    name: 'a database written by a newer ptexec',
    make: (dir) => newer(join(dir, 'newer.db')),
    said: /was written by a newer ptexec \(migration 9000-core-from-the-future unknown to this version\); nothing was changed/,
    fix: /upgrade ptexec/,
  },
  {
    name: 'a database written by a newer ptexec, watched (read-only)',
    make: (dir) => newer(join(dir, 'newer-watched.db')),
    said: /was written by a newer ptexec/,
    fix: /upgrade ptexec/,
    command: ['watch', '--json'],
  },
];

function newer(path: string): string {
  database(path);
  const db = new Database(path);
  db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run('9000-core-from-the-future', 1);
  db.close();
  return path;
}

describe('a database ptexec cannot use', () => {
  it.each(cases)('$name: exit 7, the path and the fix; the file is left as it was', async ({ make, said, fix, unprivileged, command }) => {
    const path = make(box.dir);
    const before = statSync(path).isFile() && !unprivileged ? readFileSync(path) : undefined;
    const r = await run([...(command ?? ['runs', 'list']), '--db', path], { unprivileged });
    expect(r.stderr).not.toMatch(/this is a bug/);
    expect(r.stderr).toContain(path);
    expect(r.stderr).toMatch(said);
    expect(r.stderr).toMatch(fix);
    expect(r.code).toBe(7);
    if (before) expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('a full disk during a run stops it resumably (exit 130); after freeing space, resume finishes it with no order sent twice', async () => {
    const run = new CliSandbox();
    try {
      const target = join(run.dir, 'target.csv');
      writeFileSync(target, 'symbol,target_quantity\nRELIANCE,900\nTCS,400\nITC,3000\n');
      run.extraEnv = { PTEXEC_FAILPOINT: 'order-intent-recorded:4:disk-full' };
      const stopped = await run.run(['rebalance', target, '--speed', 'max', '--yes', '--no-ui', '--algo', 'twap', '--duration', '3m', '--slices', '3', '--param', 'child_type=market']);
      const runId = /run (\w+) stopped/.exec(stopped.stderr)?.[1];
      expect(stopped.stderr).toMatch(new RegExp(`error: run ${runId} stopped: the disk holding the database ${run.db} is full`));
      expect(stopped.stderr).toContain(`free space on that disk (\`df -h ${run.dir}\` shows how much is left), then continue the run with \`ptexec resume ${runId}\``);
      expect(stopped.code).toBe(130);
      run.extraEnv = {};
      const resumed = await run.json<{ status: string }>(['resume', runId!, '--speed', 'max']);
      expect(resumed.body.status).toBe('completed');
      expect(resumed.code).toBe(0);
      const db = new Database(run.db, { readonly: true });
      expect(db.prepare('SELECT client_order_id, count(*) n FROM paper_orders GROUP BY client_order_id HAVING n > 1').all()).toEqual([]);
      expect(db.prepare('SELECT trade_id FROM fills ORDER BY trade_id').pluck().all()).toEqual(db.prepare('SELECT trade_id FROM paper_trades ORDER BY trade_id').pluck().all());
      db.close();
    } finally {
      run.cleanup();
    }
  });
});
