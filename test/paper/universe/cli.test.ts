import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CliSandbox } from '../../cli/cli-harness.js';

let box: CliSandbox;
afterEach(() => box?.cleanup());

const KITE_HEADER = 'instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange';

describe('the paper universe as a user meets it (README "The paper universe")', () => {
  it('lists the shipped NSE equities, trades them, imports a Kite dump and refuses what it cannot price', async () => {
    box = new CliSandbox();
    const shown = await box.run(['paper', 'universe', 'show', 'IRFC', '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    const report = JSON.parse(shown.stdout) as { listed: number; shipped: { as_of: string; listings: number }; instruments: { symbol: string; source: string; price: string; adv: number }[] };
    expect(report.listed).toBeGreaterThan(2_000);
    expect(report.shipped.as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(report.instruments).toEqual([expect.objectContaining({ symbol: 'IRFC', source: 'shipped', price: expect.stringMatching(/^\d+\.\d{2}$/) })]);

    // A target of listed shares that are not built in plans and trades on paper.
    const target = join(box.dir, 'target.csv');
    writeFileSync(target, 'symbol,target_quantity\nIRFC,100\nYESBANK,500\nNEWCO,10\n');
    const unknown = await box.run(['rebalance', target, '--dry-run']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('NEWCO');
    expect(unknown.stderr).toContain('ptexec paper universe import');

    // No BSE list is shipped: a BSE line for a share on NSE is pointed there, a BSE-only share to BSE's bhavcopy.
    const onBse = join(box.dir, 'bse.csv');
    writeFileSync(onBse, 'symbol,exchange,target_quantity\nIRFC,BSE,100\nBSEONLYCO,BSE,10\n');
    const bse = await box.run(['rebalance', onBse, '--dry-run']);
    expect(bse.code).toBe(2);
    expect(bse.stderr).toContain('NSE:IRFC is listed: give "exchange": "NSE" on that line');
    expect(bse.stderr).toContain("no BSE list is shipped: import BSE:BSEONLYCO with its price from BSE's equity bhavcopy");

    const kite = join(box.dir, 'instruments.csv');
    writeFileSync(kite, [KITE_HEADER, '9990001,99901,NEWCO,NEW COMPANY,250.5,,0,0.05,1,EQ,NSE,NSE', '9990002,99902,NOPRICE,NO PRICE LTD,0,,0,0.01,1,EQ,NSE,NSE', '738561,2885,RELIANCE,RELIANCE INDUSTRIES,1.0,,0,0.05,1,EQ,NSE,NSE', '1,1,NIFTYFUT,NIFTY,0,2025-12-30,0,0.05,75,FUT,NFO-FUT,NFO'].join('\n'));
    const imported = await box.run(['paper', 'universe', 'import', kite]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('imported 1 new and 0 updated listings');
    expect(imported.stdout).toContain('kept the built-in figures of 1: NSE:RELIANCE');
    expect(imported.stderr).toContain('skipped 1 listings without a price: NSE:NOPRICE');

    const traded = await box.run(['rebalance', target, '--yes', '--speed', 'max', '--json']);
    expect(traded.code, traded.stderr).toBe(0);
    const run = JSON.parse(traded.stdout) as { status: string; results: { symbol: string; filled_quantity: number }[] };
    expect(run.status).toBe('completed');
    expect(Object.fromEntries(run.results.map((l) => [l.symbol, l.filled_quantity]))).toEqual({ IRFC: 100, YESBANK: 500, NEWCO: 10 });
    const newco = JSON.parse((await box.run(['paper', 'universe', 'show', 'NEWCO', '--json'])).stdout) as { instruments: { source: string; tick: string; adv: number }[] };
    expect(newco.instruments).toEqual([expect.objectContaining({ source: 'imported', tick: '0.05', adv: 50_000 })]);

    const wrong = await box.run(['paper', 'universe', 'import', target]);
    expect([wrong.code, wrong.stderr]).toEqual([2, expect.stringContaining('not an instrument file ptexec reads')]);
  }, 30_000);
});
