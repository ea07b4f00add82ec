import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import { Factory } from '../../src/app/factory.js';
import { brokerScorecardJson, renderBrokerScorecard } from '../../src/app/render/scorecard-view.js';
import { brokerScorecard, executionQualities } from '../../src/app/scorecard-service.js';
import { fakeIO } from '../lib/fake-terminal.js';
import { violations } from '../schemas/contract.js';

const dir = mkdtempSync(join(tmpdir(), 'ptexec-scorecard-empty-'));
const store = openDatabase(':memory:');
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('brokers scorecard before any run', () => {
  it('says there is nothing to measure and how to get something, and gives the router nothing', async () => {
    const fake = fakeIO({ env: { XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data') } });
    const f = new Factory(fake.io, { store });
    const report = await brokerScorecard(f, { since: '30d' });
    expect(report.brokers).toEqual([]);
    renderBrokerScorecard(f.io, report);
    expect(fake.stdout.text()).toMatch(/^No executions recorded \(trading dates \d{4}-\d{2}-\d{2} to today\): run `ptexec rebalance` first/);
    expect(violations('brokers-scorecard.json', brokerScorecardJson(report))).toEqual([]);
    expect(executionQualities(store).size).toBe(0);
    await f.close();
  });
});
