import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import { Factory } from '../../src/app/factory.js';
import { executeRebalance } from '../../src/app/rebalance-command-service.js';
import { BlockedError } from '../../src/domain/errors/blocked-error.js';
import { fakeIO } from '../lib/fake-terminal.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('ptexec rebalance, in process', () => {
  it('a run the checks block says in its --json result that it was no dry run, when --dry-run was not given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptexec-rebalance-'));
    dirs.push(dir);
    // An extra zero on TCS: about 31% of the account, above the 25% weight limit.
    const file = join(dir, 'typo.json');
    writeFileSync(file, JSON.stringify({ positions: [{ symbol: 'TCS', quantity: 1000 }, { symbol: 'INFY', quantity: 50 }] }));
    const store = openDatabase(join(dir, 'r.db'));
    const { io } = fakeIO({ json: true, env: { XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data') } });
    const factory = new Factory(io, { store });
    try {
      // The flags as the command line parses them: a boolean flag that is not given is absent.
      const error = await executeRebalance(factory, { file, flags: { algo: 'market', yes: true, 'liquidate-unlisted': false, 'new-run': false, 'allow-partial': false, 'no-ui': true } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BlockedError);
      expect((error as BlockedError).result).toMatchObject({ dry_run: false, status: 'blocked', reason: 'pre-trade checks blocked 1 leg; nothing was sent' });
    } finally {
      await factory.close();
      store.close();
    }
  });
});
