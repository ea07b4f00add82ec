import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Broker } from '../../../src/brokers/broker.js';
import { openDatabase } from '../../../src/app/database.js';
import { Factory } from '../../../src/app/factory.js';
import { importedUniversePath } from '../../../src/app/loaders/paper-universe.js';
import { importUniverse, showUniverse } from '../../../src/app/paper-universe-service.js';
import { startAngelHarness } from '../../angelone/harness.js';
import { SIM_INSTRUMENTS, type SimInstrument } from '../../emulators/exchange/sim-exchange.js';
import { startFyersHarness } from '../../fyers/harness.js';
import { startGrowwHarness } from '../../groww/harness.js';
import { fakeIO } from '../../lib/fake-terminal.js';
import { startUpstoxHarness } from '../../upstox/harness.js';
import { startHarness } from '../../zerodha/harness.js';

let closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing) await close();
  closing = [];
});

/** A share of the shipped NSE list that is not built in, and a share listed on BSE alone (fictional). */
const LISTED: SimInstrument[] = [
  ...SIM_INSTRUMENTS,
  { symbol: 'IRFC', exchange: 'NSE', isin: 'INE053F01010', token: 2029, name: 'INDIAN RAILWAY FIN CORP L', tick: 1, lot: 1, bid: 11_800, ask: 11_801, last: 11_800, close: 11_700, volume: 9_000_000 },
  { symbol: 'BSEONLYCO', exchange: 'BSE', isin: 'INE999Z01012', token: 599999, name: 'BSE ONLY COMPANY', tick: 1, lot: 1, bid: 3_500, ask: 3_501, last: 3_500, close: 3_490, volume: 20_000 },
];

interface Subject {
  broker: Broker;
  /** The master as a user downloads it: file names and bytes. */
  files: { name: string; bytes: Buffer }[];
}

const download = async (url: string) => Buffer.from(await (await fetch(url)).arrayBuffer());

/** Each Indian broker's adapter against its emulator, which lists LISTED. */
const BROKERS: Record<string, () => Promise<Subject>> = {
  upstox: async () => {
    const h = await startUpstoxHarness({ instruments: LISTED });
    closing.push(() => h.close());
    return { broker: h.broker, files: [{ name: 'complete.json.gz', bytes: await download(h.emu.instrumentsUrl) }] };
  },
  fyers: async () => {
    const h = await startFyersHarness({ instruments: LISTED });
    closing.push(() => h.close());
    return { broker: h.broker, files: await Promise.all(['NSE_CM.csv', 'BSE_CM.csv'].map(async (name) => ({ name, bytes: await download(`${h.emu.symbolsUrl}/${name}`) }))) };
  },
  angelone: async () => {
    const h = await startAngelHarness({ instruments: LISTED });
    closing.push(() => h.close());
    return { broker: h.broker, files: [{ name: 'OpenAPIScripMaster.json', bytes: await download(h.emu.masterUrl) }] };
  },
  groww: async () => {
    const h = await startGrowwHarness({ instruments: LISTED });
    closing.push(() => h.close());
    return { broker: h.broker, files: [{ name: 'instrument.csv', bytes: await download(h.emu.instrumentsUrl) }] };
  },
};

function factory(broker?: Broker) {
  const fake = fakeIO({ env: { XDG_DATA_HOME: mkdtempSync(join(tmpdir(), 'ptexec-universe-')) } });
  return new Factory(fake.io, { store: openDatabase(':memory:'), openedBroker: (id) => (id === broker?.id ? broker : undefined) });
}

describe('paper universe import --from a logged-in broker', () => {
  it("imports Zerodha's equity master: tick and lot sizes from it, prices from the shipped list", async () => {
    const h = await startHarness();
    closing.push(() => h.close());
    const f = factory(h.broker);
    const report = await importUniverse(f, { files: [], from: 'zerodha', replace: false });
    expect(report.files).toEqual([expect.objectContaining({ path: '--from zerodha', format: 'broker', broker: 'zerodha' })]);
    // The emulator lists a few large caps: all built in, so their figures are kept.
    expect(report.kept_built_in.length + report.added + report.skipped_no_price.length).toBe(report.files[0]!.listings);
    expect(report.kept_built_in).toContain('NSE:INFY');
    expect(showUniverse(f, { symbols: ['INFY'] }).entries).toEqual([expect.objectContaining({ symbol: 'INFY', source: 'built-in' })]);
  });

  it('names the brokers whose master it reads when given one without', async () => {
    const paper = factory();
    await expect(importUniverse(paper, { files: [], from: 'paper', replace: false })).rejects.toThrow(/--from paper: ptexec cannot read paper's instrument master/);
  });

  for (const [id, start] of Object.entries(BROKERS)) {
    it(`${id}: its master's NSE and BSE equities, the same from a login and from the downloaded file`, async () => {
      const { broker, files } = await start();
      const f = factory(broker);
      const report = await importUniverse(f, { files: [], from: id, replace: false });
      expect(report.files).toEqual([expect.objectContaining({ path: `--from ${id}`, format: 'broker', broker: id, listings: LISTED.length })]);
      // Built-in names keep their figures; a shipped share gets the master's tick and lot and the shipped price; a BSE-only share has no price anywhere.
      expect(report.kept_built_in.sort()).toEqual(['NSE:INFY', 'NSE:ITC', 'NSE:RELIANCE', 'NSE:SBIN', 'NSE:TCS']);
      expect(showUniverse(f, { symbols: ['IRFC'] }).entries).toEqual([expect.objectContaining({ source: 'imported', tick: 1, lot: 1, price: 11_811, isin: 'INE053F01010' })]);
      if (id === 'angelone') {
        // Angel One's scrip master has no ISIN: nothing ties BSE:INFY to NSE:INFY.
        expect([report.added, report.priced_from_nse, report.skipped_no_price]).toEqual([1, 0, ['BSE:INFY', 'BSE:BSEONLYCO']]);
      } else {
        // BSE:INFY takes the price and volatility of the same ISIN on NSE (built in), not its volume.
        expect([report.added, report.priced_from_nse, report.skipped_no_price]).toEqual([2, 1, ['BSE:BSEONLYCO']]);
        expect(showUniverse(f, { symbols: ['BSE:INFY'] }).entries).toEqual([expect.objectContaining({ source: 'imported', tick: 5, price: 151_000, volatility: 0.25, adv: 50_000 })]);
      }

      // The master downloaded by hand (as the broker publishes it) imports the same listings.
      const dir = mkdtempSync(join(tmpdir(), 'ptexec-master-'));
      const paths = files.map(({ name, bytes }) => {
        writeFileSync(join(dir, name), bytes);
        return join(dir, name);
      });
      const fromFile = factory();
      const fileReport = await importUniverse(fromFile, { files: paths, replace: false });
      expect(fileReport.files.map((x) => [x.format, x.broker])).toEqual(paths.map(() => ['broker', id]));
      expect(fileReport.files.reduce((n, x) => n + x.listings, 0)).toBe(LISTED.length);
      expect(readFileSync(importedUniversePath(fromFile.env), 'utf8')).toBe(readFileSync(importedUniversePath(f.env), 'utf8'));
    }, 20_000);
  }
});

describe('paper universe import of a broker master file', () => {
  const file = (name: string, content: string | Buffer) => {
    const path = join(mkdtempSync(join(tmpdir(), 'ptexec-master-')), name);
    writeFileSync(path, content);
    return path;
  };
  const fyersRow = (ticker: string, segment: number, underlying: string) => `101000000${underlying.length},${underlying} LTD,0,1,0.05,INE999Z01012,0915-1530|1815-1915:,2026-12-03,,${ticker},12,${segment},599999,${underlying},599999,-1.0,XX,101000000,None,0,0.0`;

  it("leaves out a Fyers file's derivatives (their tickers look like BSE equities'), and refuses a file of nothing else", async () => {
    const f = factory();
    const mixed = file('BSE_CM.csv', [fyersRow('BSE:BSEONLYCO-X', 10, 'BSEONLYCO'), fyersRow('BSE:SENSEX25DECFUT', 11, 'SENSEX')].join('\n'));
    const report = await importUniverse(f, { files: [mixed], replace: false });
    expect(report.files).toEqual([expect.objectContaining({ format: 'broker', broker: 'fyers', listings: 1, ignored: 1 })]);
    expect(report.skipped_no_price).toEqual(['BSE:BSEONLYCO']);
    const derivatives = file('BSE_FO.csv', fyersRow('BSE:SENSEX25DECFUT', 11, 'SENSEX'));
    await expect(importUniverse(f, { files: [derivatives], replace: false })).rejects.toMatchObject({
      message: `${derivatives}: the Fyers symbol master has no NSE or BSE equity rows`,
      hint: expect.stringContaining("give Fyers' symbol master (NSE_CM.csv, BSE_CM.csv) whole, as downloaded"),
    });
  });

  it('names the file of a master cut short, and of a gzip file that does not unpack', async () => {
    const f = factory();
    const cut = file('OpenAPIScripMaster.json', '[{"token":"1594","symbol":"INFY-EQ","name":"INFY","exch_seg":"NSE","tick_size":"5.000000"},{"token":"15');
    await expect(importUniverse(f, { files: [cut], replace: false })).rejects.toThrow(`${cut}: the Angel One instrument master is not JSON`);
    const gz = file('complete.json.gz', Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]));
    await expect(importUniverse(f, { files: [gz], replace: false })).rejects.toThrow(`${gz}: a gzip file that does not unpack`);
  });
});
