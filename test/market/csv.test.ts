import { describe, expect, it } from 'vitest';
import { parseTargetPortfolio } from '../../src/app/loaders/target-file.js';
import { parseKiteInstruments } from '../../src/brokers/zerodha/instruments.js';
import { parseGroupMapping } from '../../src/engine/risk/groups.js';
import { parseTcaCsv, TcaInputError } from '../../src/engine/tca/input-file.js';
import { parseCsvRows, splitCsvLine } from '../../src/market/csv.js';

describe('splitCsvLine', () => {
  it('splits plain fields, keeping blanks and spaces for the caller to trim', () => {
    expect(splitCsvLine('INFY,10')).toEqual(['INFY', '10']);
    expect(splitCsvLine('a,,b,')).toEqual(['a', '', 'b', '']);
    expect(splitCsvLine(' a , b ')).toEqual([' a ', ' b ']);
    expect(splitCsvLine('')).toEqual(['']);
  });

  it('reads quoted fields with commas and doubled quotes', () => {
    expect(splitCsvLine('TCS,"IT, services",3')).toEqual(['TCS', 'IT, services', '3']);
    expect(splitCsvLine('"Say ""hi""",x')).toEqual(['Say "hi"', 'x']);
    expect(splitCsvLine('"",""""')).toEqual(['', '"']);
    // A quote after blanks still opens a quoted field (the blanks are kept); text after the closing quote is kept.
    expect(splitCsvLine('INFY, "1,000"')).toEqual(['INFY', ' 1,000']);
    expect(splitCsvLine('"a"b,c')).toEqual(['ab', 'c']);
  });

  it('takes a quote inside an unquoted field as a character, and an unclosed quote to the end of the line', () => {
    expect(splitCsvLine('5" pipe,x')).toEqual(['5" pipe', 'x']);
    expect(splitCsvLine('a,"b,c')).toEqual(['a', 'b,c']);
  });
});

describe('parseCsvRows', () => {
  it('numbers rows by the line they start on, across CRLF, CR, blank lines and quoted line breaks', () => {
    const { rows, unterminatedLine } = parseCsvRows('h1,h2\r\n"multi\nline",2\n\n  \nlast,"x""y"\rcr,1\n');
    expect(unterminatedLine).toBeUndefined();
    expect(rows).toEqual([
      { line: 1, cells: ['h1', 'h2'] },
      { line: 2, cells: ['multi\nline', '2'] },
      { line: 6, cells: ['last', 'x"y'] },
      { line: 7, cells: ['cr', '1'] },
    ]);
    expect(parseCsvRows('a,b').rows).toEqual([{ line: 1, cells: ['a', 'b'] }]);
    expect(parseCsvRows('').rows).toEqual([]);
  });

  it('reports the line of a quoted field that never closes', () => {
    expect(parseCsvRows('a,b\nc,"d\ne\n').unterminatedLine).toBe(2);
  });
});

describe('the files read as CSV', () => {
  it('risk group files may quote a group that holds a comma', () => {
    const groups = parseGroupMapping('symbol,group\nTCS,"IT, services"\n"INFY","IT, services"\nHDFCBANK,Banks\n', 'groups.csv');
    expect([...groups]).toEqual([
      ['TCS', 'IT, services'],
      ['INFY', 'IT, services'],
      ['HDFCBANK', 'Banks'],
    ]);
  });

  it('target files read quoted cells as before', () => {
    const target = parseTargetPortfolio('symbol,target_quantity,algo\n"INFY", "10",twap\nTCS,5,"vwap"\n', 'portfolio.csv');
    expect(target.positions.map((p) => [p.symbol, p.amount, p.algo, p.location])).toEqual([
      ['INFY', { kind: 'quantity', quantity: 10 }, 'twap', 'portfolio.csv:2'],
      ['TCS', { kind: 'quantity', quantity: 5 }, 'vwap', 'portfolio.csv:3'],
    ]);
  });

  it('TCA input keeps its line numbers past quoted line breaks and names an unclosed quote', () => {
    const header = 'order_id,symbol,side,quantity,decision_price,arrival_price';
    const orders = parseTcaCsv(`${header}\n"o,1",INFY,buy,10,100,101\n`, 'fills.csv');
    expect(orders.map((o) => o.id)).toEqual(['o,1']);
    const late = (() => {
      try {
        parseTcaCsv(`${header}\n"o\n1",INFY,buy,10,100,101\no2,INFY,buy,x,100,101\n`, 'fills.csv');
      } catch (err) {
        return err as TcaInputError;
      }
    })();
    expect(late).toBeInstanceOf(TcaInputError);
    expect(late!.message).toContain('fills.csv:4');
    expect(() => parseTcaCsv(`${header}\n"o1,INFY,buy,10,100,101\n`, 'fills.csv')).toThrow(/fills\.csv:2.*unterminated quoted field/);
  });

  it("Kite's instrument dump keeps names with commas", () => {
    const dump = [
      'instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,instrument_type,segment,exchange',
      '408065,1594,INFY,"INFOSYS, LTD.",0,,0,0.05,1,EQ,NSE,NSE',
    ].join('\n');
    expect(parseKiteInstruments(dump).get('NSE:INFY')).toMatchObject({ name: 'INFOSYS, LTD.', tickSize: 5, lotSize: 1 });
  });
});
