import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reconcileWithBroker } from '../../src/app/broker-account-service.js';
import { Factory } from '../../src/app/factory.js';
import { paperAccount, resetPaper } from '../../src/app/paper-account-service.js';
import { ExitCode } from '../../src/lib/exit-codes.js';
import { fakeIO } from '../lib/fake-terminal.js';

const dir = mkdtempSync(join(tmpdir(), 'ptexec-paper-account-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const factory = () => {
  const io = fakeIO({ env: { XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data') } });
  return { ...io, f: new Factory(io.io, { db: join(dir, 'ptexec.db') }) };
};

describe('the paper account and reconciliation', () => {
  it('resets the paper account without a terminal (saying so), then reconcile differs (exit 4) until --accept records a baseline', async () => {
    const reset = factory();
    const summary = await resetPaper(reset.f, { cash: '500000', currency: 'INR', holdings: ['RELIANCE=10@2500'], yes: false });
    expect(reset.stderr.text()).toMatch(/no terminal to ask: resetting the paper account/);
    expect(summary?.holdings).toEqual([expect.objectContaining({ symbol: 'RELIANCE', quantity: 10 })]);
    expect(paperAccount(reset.f).holdings).toHaveLength(1);
    await reset.f.close();

    const first = factory();
    const before = await reconcileWithBroker(first.f, { accept: true });
    expect(before.result.differences).not.toHaveLength(0);
    expect(before.exitCode).toBe(ExitCode.incomplete);
    await first.f.close();

    const second = factory();
    const after = await reconcileWithBroker(second.f, { accept: false });
    expect(after.result.differences).toEqual([]);
    expect(after.exitCode).toBe(ExitCode.ok);
    await second.f.close();
  });

  it('refuses a holding that is not SYMBOL=QUANTITY, naming the flag', async () => {
    await expect(resetPaper(factory().f, { currency: 'INR', holdings: ['RELIANCE:100'], yes: true })).rejects.toThrow(/--holding RELIANCE:100 is not SYMBOL=QUANTITY/);
  });
});
