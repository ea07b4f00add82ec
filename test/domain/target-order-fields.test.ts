import { describe, expect, it } from 'vitest';
import { parseTargetPortfolio } from '../../src/app/loaders/target-file.js';
import { TargetParseError } from '../../src/domain/target-portfolio.js';
import { issueText } from '../../src/domain/input-issue.js';

function issues(text: string, source = 'p.json'): string[] {
  try {
    parseTargetPortfolio(text, source);
  } catch (err) {
    if (err instanceof TargetParseError) return err.issues.map((i) => issueText(i));
    throw err;
  }
  throw new Error('expected a parse error');
}

const line = (fields: Record<string, unknown>) => JSON.stringify({ positions: [{ symbol: 'RELIANCE', quantity: 10, ...fields }] });

describe('target order fields: JSON positions', () => {
  it('reads stop, stop-limit, bracket and OCO lines with prices converted exactly to minor units', () => {
    const t = parseTargetPortfolio(
      JSON.stringify({
        positions: [
          { symbol: 'RELIANCE', quantity: 10, order_type: 'stop', stop_price: 1550.5 },
          { symbol: 'TCS', quantity: 5, order_type: 'stop-limit', stop_price: 3200, limit_price: 3210.05 },
          { symbol: 'INFY', quantity: 20, take_profit: 1700, stop_loss: 1450.1, stop_loss_limit: 1445 },
          { symbol: 'ITC', quantity: 0, order_type: 'OCO', take_profit: 450.25, stop_loss: 390 },
        ],
      }),
      'o.json',
    );
    expect(t.positions[0]).toMatchObject({ orderType: 'stop', stopPrice: 155050 });
    expect(t.positions[1]).toMatchObject({ orderType: 'stop_limit', stopPrice: 320000, limitPrice: 321005 });
    expect(t.positions[2]).toMatchObject({ takeProfit: 170000, stopLoss: 145010, stopLossLimit: 144500 });
    expect(t.positions[2]!.orderType).toBeUndefined();
    expect(t.positions[3]).toMatchObject({ orderType: 'oco', takeProfit: 45025, stopLoss: 39000 });
  });

  it('leaves lines without order fields as they were', () => {
    const t = parseTargetPortfolio(line({ limit_price: 1500 }), 'o.json');
    expect(Object.keys(t.positions[0]!).filter((k) => ['orderType', 'stopPrice', 'takeProfit', 'stopLoss', 'stopLossLimit'].includes(k))).toEqual([]);
  });

  it('names the JSON path and the fix of each inconsistent combination', () => {
    expect(issues(line({ order_type: 'stop' }))).toEqual(['p.json $.positions[0].stop_price: a stop order needs stop_price, the price that triggers it']);
    expect(issues(line({ stop_price: 1500 }))[0]).toMatch(/\$\.positions\[0\]\.stop_price: stop_price is the trigger of a stop order: add order_type stop/);
    expect(issues(line({ order_type: 'stop', stop_price: 1500, limit_price: 1490 }))[0]).toMatch(/\.limit_price: .*use order_type stop_limit/);
    expect(issues(line({ order_type: 'stop_limit', stop_price: 1500 }))[0]).toMatch(/\.limit_price: a stop_limit order needs limit_price/);
    expect(issues(line({ order_type: 'market', limit_price: 1500 }))[0]).toMatch(/a market order has no limit price/);
    expect(issues(line({ take_profit: 1600 }))).toEqual(['p.json $.positions[0].stop_loss: a bracket (an entry with protective exits) needs stop_loss, the trigger price of the protective stop']);
    expect(issues(line({ order_type: 'oco', stop_loss: 1400 }))[0]).toMatch(/\.take_profit: an OCO leg needs take_profit/);
    expect(issues(line({ order_type: 'oco', take_profit: 1600, stop_loss: 1400, limit_price: 1600 }))[0]).toMatch(/an OCO's limit is its take_profit/);
    expect(issues(line({ order_type: 'stop', stop_price: 1500, take_profit: 1600, stop_loss: 1400 }))[0]).toMatch(/\.order_type: take_profit and stop_loss protect a market or limit entry/);
    expect(() => parseTargetPortfolio(line({ take_profit: 1600, stop_loss: 1400, stop_loss_limit: 1390, order_type: 'limit', limit_price: 1500 }), 'p.json')).not.toThrow();
    expect(issues(line({ stop_loss_limit: 1390 })).join('\n')).toMatch(/\.stop_loss_limit: stop_loss_limit turns the stop-loss into a stop-limit: it needs stop_loss/);
  });

  it('refuses to slice a conditional or linked leg with a scheduling algorithm', () => {
    expect(issues(line({ order_type: 'stop', stop_price: 1500, algo: 'twap' }))[0]).toMatch(/\.algo: order_type stop is sent as one stop order, which "twap" cannot work/);
    expect(issues(line({ take_profit: 1600, stop_loss: 1400, algo: 'vwap' }))[0]).toMatch(/\.algo: a bracket leg .* cannot be sliced by "vwap"/);
    expect(issues(line({ order_type: 'limit', algo: 'twap' }))[0]).toMatch(/to slice a leg, remove order_type/);
    expect(() => parseTargetPortfolio(line({ order_type: 'limit', algo: 'limit', take_profit: 1600, stop_loss: 1400 }), 'p.json')).not.toThrow();
  });

  // Prices with more decimals than the currency are refused by the planner, which knows the tick
  // and names the nearest valid prices (test/engine/planner-lines.test.ts).
  it('refuses unknown order types and prices that are not positive', () => {
    expect(issues(line({ order_type: 'trailing' }))[0]).toMatch(/\.order_type: order_type must be one of market, limit, stop, stop_limit, trailing_stop, oco/);
    expect(issues(line({ stop_loss: -5, take_profit: 1600 }))[0]).toMatch(/\.stop_loss: stop_loss must be a positive price/);
  });
});

describe('target order fields: CSV', () => {
  it('reads the order columns per line', () => {
    const t = parseTargetPortfolio('symbol,quantity,order_type,limit_price,stop_price,take_profit,stop_loss\nRELIANCE,10,stop,,1550,,\nINFY,20,,,,1700,1450\nITC,0,oco,,,450,390\n', 'o.csv');
    expect(t.positions[0]).toMatchObject({ orderType: 'stop', stopPrice: 155000 });
    expect(t.positions[1]).toMatchObject({ takeProfit: 170000, stopLoss: 145000 });
    expect(t.positions[2]).toMatchObject({ orderType: 'oco', takeProfit: 45000, stopLoss: 39000 });
  });

  it('names the line and column of each problem', () => {
    const found = issues('symbol,quantity,order_type,stop_price,take_profit,stop_loss,algo\nRELIANCE,10,stop,,,,\nINFY,20,,,1700,,\nITC,5,stp,,,,\nTCS,1,stop,-3000,,,\nSBIN,1,oco,,900,800,twap\n', 'o.csv');
    expect(found).toEqual([
      'o.csv:2 (stop_price): a stop order needs stop_price, the price that triggers it',
      'o.csv:3 (stop_loss): a bracket (an entry with protective exits) needs stop_loss, the trigger price of the protective stop',
      'o.csv:4 (order_type): order_type "stp" must be one of market, limit, stop, stop_limit, trailing_stop, oco',
      'o.csv:5 (stop_price): stop_price "-3000" must be a positive price',
      'o.csv:5 (stop_price): a stop order needs stop_price, the price that triggers it',
      'o.csv:6 (algo): order_type oco is sent as an OCO pair, which "twap" cannot work: remove algo (or set it to "market"); to slice a leg, remove order_type instead',
    ]);
  });
});

describe('target order fields: trailing stops', () => {
  it('reads a trail as a percent or as a price distance in minor units, from JSON and CSV', () => {
    const t = parseTargetPortfolio(
      JSON.stringify({ positions: [{ symbol: 'RELIANCE', quantity: 0, order_type: 'trailing_stop', trail_percent: 2.5 }, { symbol: 'TCS', quantity: 0, order_type: 'trailing-stop', trail_price: 12.35 }] }),
      'o.json',
    );
    expect(t.positions[0]).toMatchObject({ orderType: 'trailing_stop', trailPercent: 2.5 });
    expect(t.positions[1]).toMatchObject({ orderType: 'trailing_stop', trailPrice: 1235 });
    const c = parseTargetPortfolio('symbol,quantity,order_type,trail_percent,trail_price\nRELIANCE,0,trailing_stop,1.25,\nTCS,0,trailing_stop,,8\n', 'o.csv');
    expect(c.positions[0]).toMatchObject({ orderType: 'trailing_stop', trailPercent: 1.25 });
    expect(c.positions[1]).toMatchObject({ orderType: 'trailing_stop', trailPrice: 800 });
  });

  it('names the field and the fix of each trail that cannot be sent', () => {
    const trailing = (fields: Record<string, unknown>) => issues(line({ order_type: 'trailing_stop', ...fields }));
    expect(trailing({})).toEqual(['p.json $.positions[0].trail_percent: a trailing_stop order needs its trail: trail_percent (2.5 = 2.5 % of the price) or trail_price (a price distance)']);
    expect(trailing({ trail_percent: 2, trail_price: 10 })).toEqual(['p.json $.positions[0].trail_price: a trailing stop trails by trail_percent or by trail_price, not both: remove one']);
    expect(trailing({ trail_percent: 0 })[0]).toMatch(/\.trail_percent: trail_percent must be above 0 and below 100/);
    expect(trailing({ trail_percent: 150 })[0]).toMatch(/\.trail_percent: trail_percent must be above 0 and below 100/);
    expect(trailing({ trail_percent: 1.255 })[0]).toMatch(/\.trail_percent: trail_percent may have at most 2 decimals/);
    expect(trailing({ trail_percent: '2' })[0]).toMatch(/\.trail_percent: trail_percent must be a number/);
    expect(trailing({ trail_price: -1 })[0]).toMatch(/\.trail_price: trail_price must be a positive price/);
    expect(trailing({ trail_percent: 2, stop_price: 1400 })[0]).toMatch(/\.stop_price: a trailing stop sets its own stop price from the trail and the market: remove stop_price/);
    expect(trailing({ trail_percent: 2, limit_price: 1400 })[0]).toMatch(/\.limit_price: a trailing stop becomes a market order when its stop is hit and has no limit_price/);
    expect(trailing({ trail_percent: 2, take_profit: 1600, stop_loss: 1400 })[0]).toMatch(/\.order_type: take_profit and stop_loss protect a market or limit entry \(a bracket\), not a trailing_stop order/);
    expect(trailing({ trail_percent: 2, algo: 'twap' })[0]).toMatch(/\.algo: order_type trailing_stop is sent as one trailing-stop order, which "twap" cannot work/);
    expect(issues(line({ trail_percent: 2 }))).toEqual(['p.json $.positions[0].trail_percent: trail_percent is the distance of a trailing stop: add order_type trailing_stop, or remove trail_percent']);
    expect(issues('symbol,quantity,order_type,trail_percent\nRELIANCE,0,trailing_stop,two\n', 'o.csv')).toEqual(['o.csv:2 (trail_percent): trail_percent "two" is not a number (2.5 = 2.5 %)', 'o.csv:2 (trail_percent): a trailing_stop order needs its trail: trail_percent (2.5 = 2.5 % of the price) or trail_price (a price distance)']);
  });
});
