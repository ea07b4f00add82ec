import type { Currency } from '../../domain/money.js';
import type { Exchange, ListedInstrument } from '../../domain/instrument.js';
import { nseTickForPrice } from '../../domain/price.js';

/**
 * The paper market's instruments. Reference prices are late-2025 levels (minor units); they are
 * where each simulated price path starts, not quotes to trade on. ADV is the average daily volume
 * in shares and volatility the annualised volatility, both round figures of the right order.
 */
export type PaperInstrument = ListedInstrument;

type Row = [symbol: string, name: string, sector: string, priceMajor: number, adv: number, volatility: number, isin?: string];

const NSE_ROWS: Row[] = [
  ['RELIANCE', 'Reliance Industries', 'Energy', 1510, 10_000_000, 0.22, 'INE002A01018'],
  ['TCS', 'Tata Consultancy Services', 'Information Technology', 3120, 2_500_000, 0.22, 'INE467B01029'],
  ['HDFCBANK', 'HDFC Bank', 'Financials', 990, 15_000_000, 0.18, 'INE040A01034'],
  ['INFY', 'Infosys', 'Information Technology', 1510, 7_000_000, 0.25, 'INE009A01021'],
  ['ICICIBANK', 'ICICI Bank', 'Financials', 1370, 12_000_000, 0.2, 'INE090A01021'],
  ['SBIN', 'State Bank of India', 'Financials', 960, 12_000_000, 0.25, 'INE062A01020'],
  ['ITC', 'ITC', 'Consumer Staples', 405, 15_000_000, 0.18, 'INE154A01025'],
  ['LT', 'Larsen & Toubro', 'Industrials', 4000, 2_000_000, 0.22, 'INE018A01030'],
  ['BHARTIARTL', 'Bharti Airtel', 'Communication Services', 2100, 6_000_000, 0.2, 'INE397D01024'],
  ['HINDUNILVR', 'Hindustan Unilever', 'Consumer Staples', 2450, 1_500_000, 0.18, 'INE030A01027'],
  ['KOTAKBANK', 'Kotak Mahindra Bank', 'Financials', 2100, 4_000_000, 0.21, 'INE237A01028'],
  ['AXISBANK', 'Axis Bank', 'Financials', 1240, 8_000_000, 0.24, 'INE238A01034'],
  ['BAJFINANCE', 'Bajaj Finance', 'Financials', 1010, 8_000_000, 0.3],
  ['MARUTI', 'Maruti Suzuki India', 'Consumer Discretionary', 15900, 500_000, 0.22, 'INE585B01010'],
  ['ASIANPAINT', 'Asian Paints', 'Materials', 2850, 1_500_000, 0.22, 'INE021A01026'],
  ['TITAN', 'Titan Company', 'Consumer Discretionary', 3850, 1_200_000, 0.24, 'INE280A01028'],
  ['SUNPHARMA', 'Sun Pharmaceutical Industries', 'Health Care', 1750, 2_500_000, 0.22, 'INE044A01036'],
  ['ULTRACEMCO', 'UltraTech Cement', 'Materials', 11700, 300_000, 0.22, 'INE481G01011'],
  ['NESTLEIND', 'Nestle India', 'Consumer Staples', 1270, 1_500_000, 0.18],
  ['WIPRO', 'Wipro', 'Information Technology', 245, 10_000_000, 0.25, 'INE075A01022'],
  ['HCLTECH', 'HCL Technologies', 'Information Technology', 1600, 3_000_000, 0.24, 'INE860A01027'],
  ['TECHM', 'Tech Mahindra', 'Information Technology', 1450, 2_500_000, 0.27, 'INE669C01036'],
  ['POWERGRID', 'Power Grid Corporation of India', 'Utilities', 270, 12_000_000, 0.22, 'INE752E01010'],
  ['NTPC', 'NTPC', 'Utilities', 325, 12_000_000, 0.24, 'INE733E01010'],
  ['ONGC', 'Oil & Natural Gas Corporation', 'Energy', 245, 12_000_000, 0.28, 'INE213A01029'],
  ['COALINDIA', 'Coal India', 'Energy', 375, 7_000_000, 0.27, 'INE522F01014'],
  ['TATASTEEL', 'Tata Steel', 'Materials', 170, 30_000_000, 0.3, 'INE081A01020'],
  ['JSWSTEEL', 'JSW Steel', 'Materials', 1160, 2_000_000, 0.28, 'INE019A01038'],
  ['ADANIENT', 'Adani Enterprises', 'Industrials', 2400, 1_500_000, 0.42, 'INE423A01024'],
  ['ADANIPORTS', 'Adani Ports and SEZ', 'Industrials', 1480, 2_500_000, 0.35, 'INE742F01042'],
  ['BAJAJFINSV', 'Bajaj Finserv', 'Financials', 2050, 1_200_000, 0.26, 'INE918I01026'],
  ['DRREDDY', "Dr. Reddy's Laboratories", 'Health Care', 1230, 2_000_000, 0.22],
  ['CIPLA', 'Cipla', 'Health Care', 1520, 1_500_000, 0.22, 'INE059A01026'],
  ['DIVISLAB', "Divi's Laboratories", 'Health Care', 6500, 500_000, 0.26, 'INE361B01024'],
  ['EICHERMOT', 'Eicher Motors', 'Consumer Discretionary', 6900, 600_000, 0.26, 'INE066A01021'],
  ['HEROMOTOCO', 'Hero MotoCorp', 'Consumer Discretionary', 5600, 600_000, 0.27, 'INE158A01026'],
  ['BRITANNIA', 'Britannia Industries', 'Consumer Staples', 5900, 300_000, 0.2, 'INE216A01030'],
  ['GRASIM', 'Grasim Industries', 'Materials', 2750, 800_000, 0.23, 'INE047A01021'],
  ['HINDALCO', 'Hindalco Industries', 'Materials', 810, 8_000_000, 0.3, 'INE038A01020'],
  ['INDUSINDBK', 'IndusInd Bank', 'Financials', 850, 5_000_000, 0.38, 'INE095A01012'],
  ['M&M', 'Mahindra & Mahindra', 'Consumer Discretionary', 3700, 3_000_000, 0.26, 'INE101A01026'],
  ['TATAMOTORS', 'Tata Motors', 'Consumer Discretionary', 410, 12_000_000, 0.33],
  ['TATACONSUM', 'Tata Consumer Products', 'Consumer Staples', 1170, 1_500_000, 0.22, 'INE192A01025'],
  ['APOLLOHOSP', 'Apollo Hospitals Enterprise', 'Health Care', 7500, 400_000, 0.24, 'INE437A01024'],
  ['BPCL', 'Bharat Petroleum Corporation', 'Energy', 360, 8_000_000, 0.3, 'INE029A01011'],
  ['SBILIFE', 'SBI Life Insurance', 'Financials', 2000, 1_200_000, 0.22, 'INE123W01016'],
  ['HDFCLIFE', 'HDFC Life Insurance', 'Financials', 760, 3_000_000, 0.23, 'INE795G01014'],
  ['SHRIRAMFIN', 'Shriram Finance', 'Financials', 780, 5_000_000, 0.32],
  ['BAJAJ-AUTO', 'Bajaj Auto', 'Consumer Discretionary', 8900, 400_000, 0.24, 'INE917I01010'],
  ['LTIM', 'LTIMindtree', 'Information Technology', 5900, 500_000, 0.28, 'INE214T01019'],
  ['TRENT', 'Trent', 'Consumer Discretionary', 4700, 1_000_000, 0.35, 'INE849A01020'],
  ['ETERNAL', 'Eternal', 'Consumer Discretionary', 300, 40_000_000, 0.4, 'INE758T01015'],
  ['JIOFIN', 'Jio Financial Services', 'Financials', 310, 15_000_000, 0.32, 'INE758E01017'],
  ['BEL', 'Bharat Electronics', 'Industrials', 420, 20_000_000, 0.3, 'INE263A01024'],
  ['HAL', 'Hindustan Aeronautics', 'Industrials', 4700, 1_500_000, 0.35, 'INE066F01020'],
  ['DMART', 'Avenue Supermarts', 'Consumer Staples', 4200, 400_000, 0.25, 'INE192R01011'],
  ['PIDILITIND', 'Pidilite Industries', 'Materials', 1480, 800_000, 0.2, 'INE318A01026'],
  ['HAVELLS', 'Havells India', 'Industrials', 1500, 1_000_000, 0.25, 'INE176B01034'],
  ['VEDL', 'Vedanta', 'Materials', 500, 10_000_000, 0.33, 'INE205A01025'],
  ['TVSMOTOR', 'TVS Motor Company', 'Consumer Discretionary', 3500, 800_000, 0.27, 'INE494B01023'],
  ['DLF', 'DLF', 'Real Estate', 750, 5_000_000, 0.33, 'INE271C01023'],
  ['SIEMENS', 'Siemens', 'Industrials', 3100, 400_000, 0.3, 'INE003A01024'],
  ['GODREJCP', 'Godrej Consumer Products', 'Consumer Staples', 1150, 1_000_000, 0.22, 'INE102D01028'],
  ['IOC', 'Indian Oil Corporation', 'Energy', 165, 15_000_000, 0.3, 'INE242A01010'],
  ['GAIL', 'GAIL (India)', 'Utilities', 180, 10_000_000, 0.3, 'INE129A01019'],
  ['TATAPOWER', 'Tata Power Company', 'Utilities', 390, 12_000_000, 0.32, 'INE245A01021'],
  ['PNB', 'Punjab National Bank', 'Financials', 120, 25_000_000, 0.33, 'INE160A01022'],
  ['BANKBARODA', 'Bank of Baroda', 'Financials', 280, 12_000_000, 0.3, 'INE028A01039'],
  ['INDIGO', 'InterGlobe Aviation', 'Industrials', 5800, 800_000, 0.3, 'INE646L01027'],
  ['CHOLAFIN', 'Cholamandalam Investment and Finance', 'Financials', 1700, 1_000_000, 0.3, 'INE121A01024'],
];

type UsRow = [symbol: string, exchange: 'NASDAQ' | 'NYSE', name: string, sector: string, priceMajor: number, adv: number, volatility: number];

const US_ROWS: UsRow[] = [
  ['AAPL', 'NASDAQ', 'Apple Inc.', 'Information Technology', 270, 50_000_000, 0.28],
  ['MSFT', 'NASDAQ', 'Microsoft Corporation', 'Information Technology', 500, 20_000_000, 0.24],
  ['AMZN', 'NASDAQ', 'Amazon.com Inc.', 'Consumer Discretionary', 230, 40_000_000, 0.33],
  ['GOOGL', 'NASDAQ', 'Alphabet Inc. Class A', 'Communication Services', 290, 30_000_000, 0.3],
  ['META', 'NASDAQ', 'Meta Platforms Inc.', 'Communication Services', 600, 12_000_000, 0.38],
  ['NVDA', 'NASDAQ', 'NVIDIA Corporation', 'Information Technology', 185, 180_000_000, 0.5],
  ['TSLA', 'NASDAQ', 'Tesla Inc.', 'Consumer Discretionary', 420, 90_000_000, 0.6],
  ['JPM', 'NYSE', 'JPMorgan Chase & Co.', 'Financials', 305, 9_000_000, 0.24],
  ['V', 'NYSE', 'Visa Inc.', 'Financials', 330, 7_000_000, 0.2],
  ['JNJ', 'NYSE', 'Johnson & Johnson', 'Health Care', 195, 7_000_000, 0.17],
  ['UNH', 'NYSE', 'UnitedHealth Group', 'Health Care', 330, 10_000_000, 0.4],
  ['XOM', 'NYSE', 'Exxon Mobil Corporation', 'Energy', 118, 15_000_000, 0.24],
  ['WMT', 'NASDAQ', 'Walmart Inc.', 'Consumer Staples', 105, 18_000_000, 0.2],
  ['KO', 'NYSE', 'The Coca-Cola Company', 'Consumer Staples', 70, 14_000_000, 0.16],
  ['PG', 'NYSE', 'The Procter & Gamble Company', 'Consumer Staples', 150, 7_000_000, 0.17],
];

function nseInstrument([symbol, name, sector, priceMajor, adv, volatility, isin]: Row): PaperInstrument {
  const price = Math.round(priceMajor * 100);
  const instrument: PaperInstrument = {
    symbol,
    exchange: 'NSE',
    name,
    currency: 'INR',
    tickSize: nseTickForPrice(price),
    lotSize: 1,
    sector,
    adv,
    volatility,
    referencePrice: price,
  };
  if (isin) instrument.isin = isin;
  return instrument;
}

function usInstrument([symbol, exchange, name, sector, priceMajor, adv, volatility]: UsRow): PaperInstrument {
  return { symbol, exchange, name, currency: 'USD', tickSize: 1, lotSize: 1, sector, adv, volatility, referencePrice: Math.round(priceMajor * 100) };
}

/** The built-in universe: NSE large caps, then US names. */
export const PAPER_UNIVERSE: readonly PaperInstrument[] = Object.freeze([...NSE_ROWS.map(nseInstrument), ...US_ROWS.map(usInstrument)]);

/**
 * An index over a universe: by `EXCHANGE:SYMBOL` and by bare symbol (first listing wins, so NSE
 * names resolve before US ones when no exchange is given). `listed` adds the rest of the listed
 * market (the shipped NSE list and the user's imports): read on the first symbol the built-in
 * list lacks, so a run that trades only built-in names never parses it. Built-in names keep their
 * figures.
 */
export class InstrumentIndex {
  private readonly byExchange = new Map<Exchange, Map<string, PaperInstrument>>();
  private readonly bySymbol = new Map<string, PaperInstrument>();
  private count = 0;

  constructor(
    list: readonly PaperInstrument[],
    private listed?: () => readonly PaperInstrument[],
  ) {
    this.add(list);
  }

  find(symbol: string, exchange?: Exchange): PaperInstrument | undefined {
    const found = this.lookUp(symbol, exchange);
    if (found || !this.listed) return found;
    const listed = this.listed;
    this.listed = undefined;
    this.add(listed());
    return this.lookUp(symbol, exchange);
  }

  get size(): number {
    return this.count;
  }

  private lookUp(symbol: string, exchange?: Exchange): PaperInstrument | undefined {
    return exchange ? this.byExchange.get(exchange)?.get(symbol) : this.bySymbol.get(symbol);
  }

  private add(list: readonly PaperInstrument[]): void {
    for (const instrument of list) {
      let symbols = this.byExchange.get(instrument.exchange);
      if (!symbols) {
        symbols = new Map();
        this.byExchange.set(instrument.exchange, symbols);
      }
      if (symbols.has(instrument.symbol)) continue;
      symbols.set(instrument.symbol, instrument);
      this.count++;
      if (!this.bySymbol.has(instrument.symbol)) this.bySymbol.set(instrument.symbol, instrument);
    }
  }
}

const defaultIndex = new InstrumentIndex(PAPER_UNIVERSE);

/** Looks a built-in instrument up by symbol (and exchange, when given). */
export function paperInstrument(symbol: string, exchange?: Exchange): PaperInstrument | undefined {
  return defaultIndex.find(symbol, exchange);
}

/** The sector of a built-in instrument, for risk rules that group by sector. */
export function paperSector(symbol: string, exchange?: Exchange): string | undefined {
  return defaultIndex.find(symbol, exchange)?.sector;
}

/** Exchange time zone and session of the simulated market, per currency of the account. */
export function currencyOfExchange(exchange: Exchange): Currency {
  return exchange === 'NSE' || exchange === 'BSE' ? 'INR' : 'USD';
}
