import { describe, expect, it } from 'vitest';
import { parseTargetPortfolio } from '../../src/app/loaders/target-file.js';
import { TargetParseError } from '../../src/domain/target-portfolio.js';
import { issueText, placeText } from '../../src/domain/input-issue.js';

function issues(text: string, source = 'p.json'): string[] {
  try {
    parseTargetPortfolio(text, source);
  } catch (err) {
    if (err instanceof TargetParseError) return err.issues.map((i) => issueText(i));
    throw err;
  }
  throw new Error('expected a parse error');
}

describe('target portfolio: the request shape of the original service', () => {
  it('parses symbols and target quantities, upper-casing symbols', () => {
    const t = parseTargetPortfolio('{"broker":"zerodha","target_portfolio":[{"symbol":"reliance","target_quantity":20},{"symbol":"TCS","target_quantity":0}]}', 'p.json');
    expect(t.broker).toBe('zerodha');
    expect(t.positions.map((p) => [p.symbol, p.amount])).toEqual([
      ['RELIANCE', { kind: 'quantity', quantity: 20 }],
      ['TCS', { kind: 'quantity', quantity: 0 }],
    ]);
    expect(t.positions[1]!.location).toBe('p.json $.target_portfolio[1]');
  });

  it('refuses credentials in the file and explains why', () => {
    const [msg] = issues('{"broker":"zerodha","credentials":{"api_key":"k"},"target_portfolio":[{"symbol":"TCS","target_quantity":1}]}');
    expect(msg).toContain('$.credentials');
    expect(msg).toContain('secrets do not belong in portfolio files');
    expect(msg).not.toContain('"k"');
  });

  it('names the JSON path of a negative, fractional or absurd quantity', () => {
    expect(issues('{"target_portfolio":[{"symbol":"TCS","target_quantity":-5}]}')[0]).toMatch(/\$\.target_portfolio\[0\]\.target_quantity: target_quantity must not be negative/);
    expect(issues('{"target_portfolio":[{"symbol":"TCS","target_quantity":1.5}]}')[0]).toMatch(/whole number/);
    expect(issues('{"target_portfolio":[{"symbol":"TCS","target_quantity":1e12}]}')[0]).toMatch(/absurdly large/);
  });

  it('rejects wrong types, unknown fields and an empty list', () => {
    expect(issues('{"target_portfolio":[{"symbol":"TCS","target_quantity":"10"}]}')[0]).toMatch(/must be a number/);
    expect(issues('{"target_portfolio":[{"symbol":"TCS","qty":10}]}').join('\n')).toMatch(/unknown field\(s\) "qty"/);
    expect(issues('{"target_portfolio":[]}')[0]).toMatch(/is empty/);
  });
});

describe('target portfolio: the positions shape', () => {
  it('accepts quantity, weight or value per line, limit prices in minor units, and a cash buffer', () => {
    const t = parseTargetPortfolio(
      JSON.stringify({ cash_buffer_pct: 2, positions: [{ symbol: 'TCS', weight: 0.1 }, { symbol: 'INFY', value: 50000.5 }, { symbol: 'LT', quantity: 3, limit_price: 3650.05, exchange: 'nse' }] }),
      'w.json',
    );
    expect(t.cashBufferPct).toBe(2);
    expect(t.positions[0]!.amount).toEqual({ kind: 'weight', weight: 0.1 });
    expect(t.positions[1]!.amount).toEqual({ kind: 'value', value: 5000050 });
    expect(t.positions[2]).toMatchObject({ exchange: 'NSE', limitPrice: 365005 });
  });

  it('needs exactly one of quantity, weight and value', () => {
    expect(issues('{"positions":[{"symbol":"TCS","weight":0.1,"quantity":3}]}')[0]).toMatch(/exactly one of "quantity", "weight" or "value" \(found quantity and weight\)/);
    expect(issues('{"positions":[{"symbol":"TCS"}]}')[0]).toMatch(/found none/);
  });

  it('rejects weights summing above 1 and weights plus buffer above 100%', () => {
    expect(issues('{"positions":[{"symbol":"TCS","weight":0.6},{"symbol":"INFY","weight":0.5}]}')[0]).toMatch(/weights sum to 1\.1000, above 1/);
    expect(issues('{"cash_buffer_pct":10,"positions":[{"symbol":"TCS","weight":0.95}]}')[0]).toMatch(/plus the cash buffer/);
  });

  it('rejects duplicate symbols, naming both places', () => {
    expect(issues('{"positions":[{"symbol":"TCS","weight":0.1},{"symbol":"tcs","weight":0.1}]}')[0]).toBe(
      'p.json $.positions[1]: duplicate symbol TCS (first at p.json $.positions[0]): give each symbol once',
    );
  });

  it('rejects an unknown exchange', () => {
    expect(issues('{"positions":[{"symbol":"TCS","weight":0.1,"exchange":"LSE"}]}')[0]).toMatch(/must be one of NSE, BSE, NYSE, NASDAQ/);
  });
});

describe('target portfolio: CSV', () => {
  it('parses symbol,target_quantity and symbol,weight with an exchange column', () => {
    expect(parseTargetPortfolio('symbol,target_quantity\nRELIANCE,20\nTCS,5\n', 'p.csv').positions.map((p) => p.amount)).toEqual([
      { kind: 'quantity', quantity: 20 },
      { kind: 'quantity', quantity: 5 },
    ]);
    const t = parseTargetPortfolio('\uFEFFSymbol,Exchange,Weight\r\nINFY,NSE,0.25\r\n', 'w.csv');
    expect(t.positions[0]).toMatchObject({ symbol: 'INFY', exchange: 'NSE', amount: { kind: 'weight', weight: 0.25 }, location: 'w.csv:2' });
  });

  it('names the line and column of bad values', () => {
    let err: TargetParseError | undefined;
    try {
      parseTargetPortfolio('symbol,target_quantity\nTCS,NaN\nINFY,-3\n,4\n', 'p.csv');
    } catch (e) {
      err = e as TargetParseError;
    }
    expect(err!.issues.map((i) => placeText(i))).toEqual(['p.csv:2 (target_quantity)', 'p.csv:3 (target_quantity)', 'p.csv:4 (symbol)']);
    expect(err!.issues[0]!.message).toMatch(/"NaN" is not a number/);
    expect(err!.issues[1]!.message).toMatch(/must not be negative/);
  });

  it('needs a symbol column and exactly one amount column', () => {
    expect(issues('ticker,target_quantity\nTCS,1', 'p.csv')[0]).toMatch(/no "symbol" column/);
    expect(issues('symbol,weight,target_quantity\nTCS,0.1,1', 'p.csv')[0]).toMatch(/exactly one of/);
  });

  it('rejects a header without rows and an empty file', () => {
    expect(issues('symbol,weight\n', 'p.csv')[0]).toMatch(/no rows/);
    expect(issues('   \n')[0]).toMatch(/the file is empty/);
  });

  it('reports malformed JSON with its line', () => {
    expect(issues('{\n"positions": [\n{"symbol": "TCS",,}\n]}')[0]).toMatch(/not valid JSON/);
  });
});

describe('target portfolio: keys and columns given twice', () => {
  it('refuses a JSON key given twice at any depth, naming its path and both lines', () => {
    expect(issues('{"positions":[{"symbol":"TCS",\n"quantity":10,\n"quantity":20}]}')).toEqual([
      'p.json $.positions[0].quantity (line 3): "quantity" is given twice (first at line 2): JSON would silently keep the last one; give each key once',
    ]);
    expect(issues('{"positions":[{"symbol":"TCS","quantity":1}],\n"positions":[{"symbol":"INFY","quantity":1}]}')).toEqual([
      'p.json $.positions (line 2): "positions" is given twice (first at line 1): JSON would silently keep the last one; give each key once',
    ]);
    expect(issues('{"positions":[{"symbol":"TCS","quantity":1},{"symbol":"INFY","quantity":1,"algo_params":{"duration":"1h","duration":"2h"}}]}')[0]).toMatch(
      /^p\.json \$\.positions\[1\]\.algo_params\.duration \(line 1\): "duration" is given twice/,
    );
    // The same key in different objects, escaped spellings and braces inside strings.
    expect(() => parseTargetPortfolio('{"positions":[{"symbol":"TCS","quantity":1},{"symbol":"IN{\\"FY","quantity":1}]}', 'p.json')).toThrow(/symbol may contain only/);
    expect(issues('{"positions":[{"symbol":"TCS","quantity":1,"quantit\\u0079":2}]}')[0]).toMatch(/\$\.positions\[0\]\.quantity \(line 1\): "quantity" is given twice/);
  });

  it('refuses a CSV column given twice, naming both column numbers', () => {
    expect(issues('symbol,quantity,Quantity\nTCS,1,2\n', 'p.csv')).toEqual(['p.csv:1: the CSV header has "quantity" twice (columns 2 and 3): give each column once']);
  });
});

describe('target portfolio: telling JSON from CSV', () => {
  it('reads a .json file as JSON, whatever it holds', () => {
    expect(issues('42', 'p.json')).toEqual(['p.json: is JSON but not an object: a target portfolio is an object with "positions" or "target_portfolio" (see README "Input formats")']);
    expect(issues('[1,2]', 'p.json')[0]).toMatch(/is JSON but not an object/);
    expect(issues('null', '<stdin>')[0]).toMatch(/is JSON but not an object/);
    expect(issues('symbol,quantity\nTCS,1\n', 'p.json')[0]).toMatch(/^p\.json(:1)?: is not valid JSON/);
  });

  it('keeps prices as written, so a price with more decimals than the currency is refused rather than rounded', () => {
    const t = parseTargetPortfolio('{"positions":[{"symbol":"TCS","quantity":1,"limit_price":3120.055},{"symbol":"INFY","quantity":1,"order_type":"stop","stop_price":1500.123}]}', 'p.json');
    expect(t.positions[0]!.limitPrice).toBe(312005.5);
    expect(t.positions[1]!.stopPrice).toBe(150012.3);
    expect(parseTargetPortfolio('symbol,quantity,limit_price\nTCS,1,3120.055\n', 'p.csv').positions[0]!.limitPrice).toBe(312005.5);
  });

  it('reads algorithm names in any case', () => {
    expect(parseTargetPortfolio('{"positions":[{"symbol":"TCS","quantity":1,"algo":"TWAP"}]}', 'p.json').positions[0]!.algo).toBe('twap');
  });
});
