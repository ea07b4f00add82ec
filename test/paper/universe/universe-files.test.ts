import { describe, expect, it } from 'vitest';
import type { InvalidInputError } from '../../../src/domain/errors/invalid-input-error.js';
import { parseUniverseFile } from '../../../src/app/loaders/universe-formats.js';
import { combineSessions } from '../../../src/app/universe-sessions.js';
import { toListedInstrument } from '../../../src/app/loaders/paper-universe.js';
import { InstrumentIndex, PAPER_UNIVERSE } from '../../../src/brokers/paper/index.js';

const KITE = [
  'instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange',
  '3050241,11915,YESBANK,YES BANK,19.1,,0,0.01,1,EQ,NSE,NSE',
  '2714625,10604,BHARTIARTL,BHARTI AIRTEL,0,,0,0.1,1,EQ,NSE,NSE',
  '12345678,48225,NIFTY25DECFUT,NIFTY,0,2025-12-30,0,0.05,75,FUT,NFO-FUT,NFO',
  '256265,1001,NIFTY 50,NIFTY 50,24500,,0,0,0,EQ,INDICES,NSE',
  '128083204,500325,RELIANCE,RELIANCE INDUSTRIES,1357.2,,0,0.05,1,EQ,BSE,BSE',
].join('\n');

const bhavcopy = (date: string, rows: [string, string, number, number][]) =>
  ['SYMBOL, SERIES, DATE1, PREV_CLOSE, OPEN_PRICE, HIGH_PRICE, LOW_PRICE, LAST_PRICE, CLOSE_PRICE, AVG_PRICE, TTL_TRD_QNTY, TURNOVER_LACS, NO_OF_TRADES, DELIV_QTY, DELIV_PER', ...rows.map(([s, series, close, qty]) => `${s}, ${series}, ${date}, ${close}, ${close}, ${close}, ${close}, ${close}, ${close}, ${close}, ${qty}, 1.0, 10, 5, 50.0`)].join('\n');

describe('instrument files the paper universe reads', () => {
  it("reads ptexec's own CSV with its as_of line, rupees to paise, NSE by default", () => {
    const parsed = parseUniverseFile('# as_of: 2025-08-29\nsymbol,series,isin,name,lot,price,adv,volatility\nIRFC,EQ,INE053F01010,"Indian Railway Finance Corporation, Ltd",1,118.11,9479448,0.14\n', 'u.csv');
    expect(parsed).toEqual({ format: 'ptexec', asOf: '2025-08-29', ignored: 0, listings: [{ symbol: 'IRFC', exchange: 'NSE', series: 'EQ', isin: 'INE053F01010', name: 'Indian Railway Finance Corporation, Ltd', lot: 1, price: 11_811, adv: 9_479_448, volatility: 0.14 }] });
  });

  it('reads the Kite dump: equities of the NSE and BSE cash segments only, a zero last price is no price', () => {
    const parsed = parseUniverseFile(KITE, 'instruments.csv');
    expect(parsed.format).toBe('kite');
    expect(parsed.ignored).toBe(2);
    expect(parsed.listings).toEqual([
      { symbol: 'YESBANK', exchange: 'NSE', name: 'YES BANK', lot: 1, tick: 1, price: 1_910 },
      { symbol: 'BHARTIARTL', exchange: 'NSE', name: 'BHARTI AIRTEL', lot: 1, tick: 10 },
      { symbol: 'RELIANCE', exchange: 'BSE', name: 'RELIANCE INDUSTRIES', lot: 1, tick: 5, price: 135_720 },
    ]);
  });

  it("reads NSE's full bhavcopy (padded header): equity series, the session's date, volume", () => {
    const parsed = parseUniverseFile(bhavcopy('29-Aug-2025', [['IRFC', 'EQ', 118.11, 9_000_000], ['GOI2030', 'GS', 101.5, 100]]), 'sec_bhavdata_full_29082025.csv');
    expect(parsed).toEqual({ format: 'bhavcopy', asOf: '2025-08-29', ignored: 1, listings: [{ symbol: 'IRFC', exchange: 'NSE', series: 'EQ', price: 11_811, adv: 9_000_000 }] });
  });

  it('refuses a file of another kind, naming its header line and the formats it reads, and a bad number with its line', () => {
    expect(() => parseUniverseFile('ticker,qty\nA,1\n', 'holdings.csv')).toThrow(/holdings.csv:1: not an instrument file ptexec reads \(header: ticker,qty\)/);
    expect(() => parseUniverseFile('symbol,price\nIRFC,abc\n', 'u.csv')).toThrow(/u.csv:2: price "abc" is not a non-negative number/);
    // Comment lines count: the line named is the file's own.
    expect(() => parseUniverseFile('# as_of: 2025-08-29\n# source: me\nsymbol,price\nIRFC,abc\n', 'u.csv')).toThrow(/u.csv:4: price "abc"/);
    expect(() => parseUniverseFile('\n# nothing\n\nticker,qty\n', 'x.csv')).toThrow(/x.csv:4: not an instrument file/);
    let fix = '';
    try {
      parseUniverseFile('ticker,qty\n', 'x.csv', ["Fyers' symbol master (NSE_CM.csv, BSE_CM.csv)"]);
    } catch (err) {
      fix = (err as InvalidInputError).hint ?? '';
    }
    expect(fix).toMatch(/^give one of: ptexec's universe CSV .*Kite instruments dump.*sec_bhavdata_full.*BhavCopy_BSE_CM.*Fyers' symbol master \(NSE_CM.csv, BSE_CM.csv\)$/);
  });

  it("reads NSE's and BSE's equity bhavcopies of the common layout: the cash segment's shares, with ISIN and name", () => {
    const header = 'TradDt,BizDt,Sgmt,Src,FinInstrmTp,FinInstrmId,ISIN,TckrSymb,SctySrs,XpryDt,FininstrmActlXpryDt,StrkPric,OptnTp,FinInstrmNm,OpnPric,HghPric,LwPric,ClsPric,LastPric,PrvsClsgPric,UndrlygPric,SttlmPric,OpnIntrst,ChngInOpnIntrst,TtlTradgVol,TtlTrfVal,TtlNbOfTxsExctd,SsnId,NewBrdLotQty,Rmks,Rsvd1,Rsvd2,Rsvd3,Rsvd4';
    const row = (src: string, sgmt: string, type: string, isin: string, symbol: string, series: string, name: string, close: number, volume: number) =>
      `2025-08-29,2025-08-29,${sgmt},${src},${type},1,${isin},${symbol},${series},,,,,${name},${close},${close},${close},${close},${close},${close},,,,,${volume},1.0,10,F1,1,,,,,`;
    const bse = parseUniverseFile(
      [header, row('BSE', 'CM', 'STK', 'INE999Z01012', 'BSEONLYCO', 'X', 'BSE ONLY COMPANY', 35.1, 20_000), row('BSE', 'CM', 'STK', 'INE009A01021', 'INFY', 'A', 'INFOSYS LTD.', 1469.6, 300_000), row('BSE', 'FO', 'STO', '', 'SENSEX', '', 'SENSEX25SEP80000CE', 100, 5)].join('\n'),
      'BhavCopy_BSE_CM_0_0_0_20250829_F_0000.CSV',
    );
    expect(bse).toEqual({
      format: 'bhavcopy',
      asOf: '2025-08-29',
      ignored: 1,
      listings: [
        { symbol: 'BSEONLYCO', exchange: 'BSE', series: 'X', isin: 'INE999Z01012', name: 'BSE ONLY COMPANY', lot: 1, price: 3_510, adv: 20_000 },
        { symbol: 'INFY', exchange: 'BSE', series: 'A', isin: 'INE009A01021', name: 'INFOSYS LTD.', lot: 1, price: 146_960, adv: 300_000 },
      ],
    });
    const nse = parseUniverseFile([header, row('NSE', 'CM', 'STK', 'INE053F01010', 'IRFC', 'EQ', 'INDIAN RAILWAY FIN CORP L', 118.11, 9_000_000), row('NSE', 'CM', 'STK', 'IN0020230085', '718GS2033', 'GS', 'GOI LOAN 7.18% 2033', 101.5, 100)].join('\n'), 'nse.csv');
    expect(nse.listings.map((l) => `${l.exchange}:${l.symbol}`)).toEqual(['NSE:IRFC']);
    expect(nse.ignored).toBe(1);
    // NSE's and BSE's sessions are combined apart: each exchange's last session decides what it lists.
    expect(combineSessions([bse, nse]).map((l) => `${l.exchange}:${l.symbol}`).sort()).toEqual(['BSE:BSEONLYCO', 'BSE:INFY', 'NSE:IRFC']);
  });

  it('several sessions give the mean volume, the last close and a volatility a split does not inflate', () => {
    const days = ['01-Aug-2025', '04-Aug-2025', '05-Aug-2025', '06-Aug-2025', '07-Aug-2025', '08-Aug-2025', '11-Aug-2025', '12-Aug-2025'];
    const closes = [100, 101, 100.5, 101.2, 100.8, 101.5, 50.9, 51.1]; // a 1:1 bonus halves the price on the 7th session
    // GONE trades on every session but the 4th and stops before the last.
    const gone = (i: number): [string, string, number, number][] => (i === 3 || i >= 7 ? [] : [['GONE', 'EQ', 10, 5]]);
    const sessions = days.map((d, i) => parseUniverseFile(bhavcopy(d, [['ABC', 'EQ', closes[i]!, 1000 * (i + 1)], ...gone(i)]), `d${i}.csv`));
    const combined = combineSessions(sessions);
    expect(combined.map((l) => l.symbol)).toEqual(['ABC']); // GONE did not trade in the last session
    const abc = combined[0]!;
    expect(abc.price).toBe(5_110);
    expect(abc.adv).toBe(Math.round((1000 + 2000 + 3000 + 4000 + 5000 + 6000 + 7000 + 8000) / 8));
    expect(abc.volatility).toBeGreaterThan(0.08);
    expect(abc.volatility).toBeLessThan(0.3); // the plain standard deviation with the bonus day is over 3.0
  });

  it('a listing trades on its tick, with default figures where a file gave none', () => {
    expect(toListedInstrument({ symbol: 'BHARTIARTL', exchange: 'NSE' })).toBeUndefined();
    expect(toListedInstrument({ symbol: 'X', exchange: 'NSE', price: 123_457 })).toMatchObject({ tickSize: 10, referencePrice: 123_460, adv: 50_000, volatility: 0.35, currency: 'INR', lotSize: 1, name: 'X' });
  });
});

describe('the paper broker’s instrument index', () => {
  it('reads the listed market only when a symbol is not built in, and built-in figures win', () => {
    let reads = 0;
    const listed = () => {
      reads++;
      return [
        { ...PAPER_UNIVERSE[0]!, referencePrice: 1 },
        { symbol: 'IRFC', exchange: 'NSE' as const, name: 'IRFC', currency: 'INR' as const, tickSize: 1, lotSize: 1, referencePrice: 11_811, adv: 9_000_000, volatility: 0.14 },
      ];
    };
    const index = new InstrumentIndex(PAPER_UNIVERSE, listed);
    expect(index.find('RELIANCE', 'NSE')?.referencePrice).toBe(PAPER_UNIVERSE.find((i) => i.symbol === 'RELIANCE')!.referencePrice);
    expect(reads).toBe(0);
    expect(index.find('IRFC')?.referencePrice).toBe(11_811);
    expect(index.find(PAPER_UNIVERSE[0]!.symbol, PAPER_UNIVERSE[0]!.exchange)?.referencePrice).toBe(PAPER_UNIVERSE[0]!.referencePrice);
    expect(index.find('NOSUCH')).toBeUndefined();
    expect([reads, index.size]).toEqual([1, PAPER_UNIVERSE.length + 1]);
  });
});
