import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tradeCharges } from '../../src/app/charges-service.js';
import { Factory } from '../../src/app/factory.js';
import { profitAndLoss, settlements } from '../../src/app/post-trade-service.js';
import { renderTradeCharges, tradeChargesJson } from '../../src/app/render/charges-view.js';
import { renderPnl } from '../../src/app/render/pnl-view.js';
import { fakeIO } from '../lib/fake-terminal.js';

const dir = mkdtempSync(join(tmpdir(), 'ptexec-post-trade-service-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const terminal = () => fakeIO({ env: { XDG_CONFIG_HOME: join(dir, 'config') } });
const factory = (io = terminal().io) => new Factory(io, { db: join(dir, 'ptexec.db') });

describe('post-trade use cases', () => {
  it('charges: one trade under the default broker’s schedule, exact to the paisa, drawn and as JSON', async () => {
    const charges = await tradeCharges(factory(), { side: 'buy', qty: 100, price: '2500.50' });
    expect(charges).toMatchObject({ broker: 'paper', exchange: 'NSE', price: 250_050, value: 25_005_000 });
    expect(charges.total).toBe(charges.components.reduce((s, c) => s + c.amount, 0));
    expect(charges.net).toBe(charges.value + charges.total);
    expect(tradeChargesJson(charges)).toMatchObject({ broker: 'paper', currency: 'INR', quantity: 100, total_minor: charges.total });
    const { io, stdout } = terminal();
    renderTradeCharges(io, charges);
    expect(stdout.text()).toMatch(/bps of the trade value; net cost ₹/);
  });

  it('charges: refuses a price it cannot represent and a broker without a schedule', async () => {
    await expect(tradeCharges(factory(), { side: 'buy', qty: 1, price: '10.005' })).rejects.toThrow(/more than two decimal places/);
    await expect(tradeCharges(factory(), { broker: 'nobody', side: 'buy', qty: 1, price: '10' })).rejects.toThrow(/no charge schedule for "nobody"/);
  });

  it('pnl and settlement of an empty ledger, and their date checks', async () => {
    const { io, stderr } = terminal();
    const report = await profitAndLoss(factory(io), {});
    expect(report.positions).toEqual([]);
    renderPnl(io, report);
    expect(stderr.text()).toMatch(/no trades in the ledger/);
    await expect(profitAndLoss(factory(), { since: '2026-13-01' })).rejects.toThrow(/--since/);
    const { confirmed, report: due } = await settlements(factory(), { confirm: false });
    expect(confirmed).toBeUndefined();
    expect(due.days).toEqual([]);
    await expect(settlements(factory(), { date: 'tomorrow', confirm: false })).rejects.toThrow(/--date/);
  });
});
