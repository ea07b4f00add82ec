import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventJson, eventPayloadJson, ndjsonPieces, PRESENTED_EVENT_TYPES, writeNdjson } from '../../src/app/render/event-json.js';
import { averagePrice, money, moneyText, price, snakeKeys } from '../../src/app/render/json-contract.js';
import type { StoredEvent } from '../../src/domain/events/index.js';
import { TargetParseError } from '../../src/domain/errors/target-parse-error.js';
import { describeError, errorJson } from '../../src/lib/errors.js';
import { InvalidInputError } from '../../src/domain/errors/invalid-input-error.js';
import { usageError } from '../../src/oclif/usage-error.js';
import { ROOT } from '../cli/cli-harness.js';
import { violations } from '../schemas/contract.js';
import { EventLog, leg, LEGS, partialRun, plannedRun, T0 } from '../ui/fixtures.js';

describe('the money and price convention', () => {
  it('amounts are exact decimal strings with an integer *_minor twin; unknown amounts are null in both', () => {
    expect(money('value', 18_482_640)).toEqual({ value: '184826.40', value_minor: 18_482_640 });
    expect(money('pnl', -5)).toEqual({ pnl: '-0.05', pnl_minor: -5 });
    // A shortfall computed from a mid is a fraction of a paisa: rounded to the unit, both alike.
    expect(money('amount', 1234.5)).toEqual({ amount: '12.35', amount_minor: 1235 });
    expect(money('charges', undefined)).toEqual({ charges: null, charges_minor: null });
    expect(moneyText(0)).toBe('0.00');
    expect(moneyText(-0.4)).toBe('0.00');
    expect(moneyText(2_000_000_000_000_000)).toBe('20000000000000.00');
  });

  it('prices on the tick have the currency decimals; averages and benchmarks up to 4', () => {
    expect(price(210_050)).toBe('2100.50');
    expect(price(null)).toBeNull();
    expect(averagePrice(151_005.67)).toBe('1510.0567');
    expect(averagePrice(151_006)).toBe('1510.06');
    expect(averagePrice(151_006.5)).toBe('1510.065');
    expect(averagePrice(150_000 + 1 / 3)).toBe('1500.0033');
  });

  it('keys are snake_case at any depth', () => {
    expect(snakeKeys({ clientOrderId: 'a', nested: [{ pausedMs: 1, t1Quantity: 2 }], already_snake: true })).toEqual({ client_order_id: 'a', nested: [{ paused_ms: 1, t1_quantity: 2 }], already_snake: true });
  });
});

describe('watch --json events: one presenter per event type', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'watch-event.json'), 'utf8')) as { $defs: Record<string, unknown> };

  it('every presented type has its payload in the schema, and no other', () => {
    expect([...PRESENTED_EVENT_TYPES].sort()).toEqual(Object.keys(schema.$defs).sort());
  });

  it('a run\'s events, as recorded (camelCase, minor units), are printed by the contract', () => {
    const log = partialRun();
    log.add('leg.paused', { leg: 0, clientOrderId: 'P0' }, T0 + 9_100);
    log.add('leg.resumed', { leg: 0, clientOrderId: 'P0', pausedMs: 1_000, totalPausedMs: 1_000, deadline: T0 + 3_600_000 }, T0 + 10_100);
    log.add('run.breaker_tripped', { breaker: 'spread', leg: 1, value: 6.2, limit: 5, unit: 'x', message: 'INFY spread is 6.2x its normal spread' }, T0 + 10_150);
    log.add('run.breaker_tripped', { breaker: 'run_slippage', value: 151.5, limit: 150, unit: 'bps', message: 'run slippage 151.5 bps' }, T0 + 10_160);
    log.add('run.failover', { group: 'gabc123def', to: 'r2', toAccount: 'spouse', reason: 'zerodha went down (session expired)', moved: [{ leg: 1, symbol: 'INFY', exchange: 'NSE', side: 'buy', quantity: 20 }], kept: [{ leg: 0, symbol: 'RELIANCE', quantity: 10, reason: 'outcome unknown' }] }, T0 + 10_170);
    log.add('run.control', { action: 'cancel', leg: 0, by: 'me@host' }, T0 + 10_200);
    log.add('run.alert', { level: 'warn', source: 'broker', message: 'reconnected' }, T0 + 10_300);
    log.add('order.resized', { clientOrderId: 'P0C1TP', from: 20, to: 10, reason: 'sibling filled' }, T0 + 10_350);
    log.add('order.created', { clientOrderId: 'P2C9', parentId: 'P2', leg: 2, broker: 'paper', account: 'PAPER1', symbol: 'TCS', exchange: 'NSE', side: 'sell', type: 'trailing_stop', quantity: 5, timeInForce: 'day', product: 'delivery', trail: { percent: 2.5 } }, T0 + 10_360);
    log.add('risk.checked', { scope: 'order', actor: 'gate', leg: 0, clientOrderId: 'P0C4', parentId: 'P0', symbol: 'RELIANCE', exchange: 'NSE', side: 'buy', quantity: 40, verdict: 'warn', reasons: [{ rule: 'price_band', level: 'warn', message: 'far from last' }] }, T0 + 10_400);
    log.add('risk.halted', { reason: null, cancelOpen: true, actor: 'me@host' }, T0 + 10_500, null);
    log.add('risk.unhalted', { actor: 'me@host' }, T0 + 10_600, null);
    log.add('charges.booked', { broker: 'paper', account: 'PAPER1', exchange: 'NSE', symbol: 'RELIANCE', tradingDate: '2026-11-20', scheduleId: 'paper', currency: 'INR', components: [{ id: 'stt', label: 'STT', amount: 1500, uncertain: false }], total: 1500, trades: [{ tradeId: 't1', total: 500, components: { stt: 500 } }] }, T0 + 10_700);
    log.add('settlement.scheduled', { broker: 'paper', tradeId: 't1', account: 'PAPER1', exchange: 'NSE', symbol: 'RELIANCE', side: 'buy', quantity: 20, value: 5_002_000, tradeDate: '2026-11-20', settleDate: '2026-11-23' }, T0 + 10_800);
    log.add('settlement.resolved', { broker: 'paper', tradeId: 't1', status: 'failed', difference: 5, reason: 'still in T1' }, T0 + 10_900, null);
    log.add('account.snapshot', { broker: 'paper', account: 'PAPER1', reason: 'run-start', holdings: [{ symbol: 'TCS', exchange: 'NSE', quantity: 10, t1Quantity: 2, averagePrice: 310_012.5, lastPrice: 312_000 }], positions: [{ symbol: 'TCS', exchange: 'NSE', quantity: -1, averagePrice: 312_000, product: 'delivery' }], funds: { currency: 'INR', available: 100_000_000, used: 0 } }, T0 + 11_000);
    log.add('notification.failed', { channel: 'webhook', event: 'run.finished', attempt: 1, status: 500, error: 'the receiver answered HTTP 500', final: false }, T0 + 11_100, null);
    log.add('notification.sent', { channel: 'webhook', event: 'run.finished', attempt: 2, status: 200, final: true }, T0 + 11_200, null);
    log.add('run.status', { status: 'incomplete', reason: 'horizon ended', summary: { legs: 3, complete: 1, partial: 1, unfilled: 1, rejected: 0, cancelled: 0, blocked: 0, skipped: 0, traded_value: 44_980_000 } }, T0 + 12_000);
    const printed = log.events.map((e) => eventJson(e as StoredEvent));
    for (const e of printed) expect(violations('watch-event.json', e), e.type).toEqual([]);
    expect(new Set(printed.map((e) => e.type))).toEqual(new Set(PRESENTED_EVENT_TYPES));
    const fill = printed.find((e) => e.type === 'fill.recorded')!;
    expect(fill.payload).toMatchObject({ trade_id: 't1', price: '2501.00', value: '50020.00', value_minor: 5_002_000 });
    expect(printed.find((e) => e.type === 'run.planned')!.payload).toMatchObject({ account_value: '1000000.00', account_value_minor: 100_000_000, legs: [{ leg: 0, symbol: LEGS[0]!.symbol, decision_price: '2500.00' }, {}, {}] });
    expect(printed.filter((e) => e.type === 'run.breaker_tripped').map((e) => e.payload)).toEqual([
      { breaker: 'spread', value: 6.2, limit: 5, unit: 'x', message: 'INFY spread is 6.2x its normal spread', leg: 1 },
      { breaker: 'run_slippage', value: 151.5, limit: 150, unit: 'bps', message: 'run slippage 151.5 bps', leg: null },
    ]);
    expect(printed.find((e) => e.type === 'order.created' && (e.payload as { type: string }).type === 'trailing_stop')!.payload).toMatchObject({ type: 'trailing_stop', trail: { percent: 2.5, price: null } });
    expect(printed.find((e) => e.type === 'leg.resumed')!.payload).toEqual({ leg: 0, client_order_id: 'P0', paused_ms: 1_000, total_paused_ms: 1_000, deadline: new Date(T0 + 3_600_000).toISOString() });
    expect(printed.find((e) => e.type === 'run.status' && (e.payload as { status: string }).status === 'incomplete')!.payload).toMatchObject({ summary: { traded_value: '449800.00', traded_value_minor: 44_980_000 } });
  });

  it('an event type without a presenter of its own is printed with snake_case keys', () => {
    const e = new EventLog().add('algo.decided', { sliceIndex: 2, nextAt: 5 }, T0);
    expect(eventJson(e)).toMatchObject({ type: 'algo.decided', payload: { slice_index: 2, next_at: 5 } });
    expect(violations('watch-event.json', eventJson(e))).toEqual([]);
    expect(eventPayloadJson(new EventLog().add('x.y', { aB: { cD: 1 } }, T0))).toEqual({ a_b: { c_d: 1 } });
  });
});

describe('watch --json lines written in pieces', () => {
  it("a large plan's line is made a thousand legs at a time, and is the same text as the whole line", () => {
    const log = new EventLog();
    const legs = Array.from({ length: 2_500 }, (_, i) => leg(i, `SYM"${i}`, i % 2 ? 'sell' : 'buy', 10 + i, 10_000 + i));
    log.add('run.planned', { legs, skipped: [], notes: ['a "quoted" note'], accountValue: 100_000_000, cashBefore: 50_000_000, currency: 'INR' }, T0);
    const planned = log.events[0]!;
    const pieces = [...ndjsonPieces(planned)];
    expect(pieces.length).toBe(5);
    expect(pieces.join('')).toBe(`${JSON.stringify(eventJson(planned))}\n`);
    const group = (e: StoredEvent) => ({ ...eventJson(e), group: 'g1', account: null });
    expect([...ndjsonPieces(planned, group)].join('')).toBe(`${JSON.stringify(group(planned))}\n`);
  });

  it('a batch of events is the lines of its events, in writes of about 64 KB', () => {
    const log = partialRun(plannedRun());
    const writes: string[] = [];
    writeNdjson(log.events, (text) => writes.push(text));
    expect(writes.join('')).toBe(log.events.map((e) => `${JSON.stringify(eventJson(e))}\n`).join(''));
    expect(writes.length).toBe(1);
  });
});

describe('errors with --json', () => {
  it('input validation: one line of message and a list of located issues', () => {
    const err = new TargetParseError('p.csv', [
      { file: 'p.csv', line: 3, field: 'quantity', message: 'quantity "x" is not a number' },
      { file: 'p.csv', path: undefined, message: 'weights sum to 1.2, above 1' },
    ]);
    const json = errorJson(describeError(err));
    expect(violations('error.json', { error: json })).toEqual([]);
    expect(json).toEqual({
      message: 'invalid target portfolio, nothing was sent',
      hint: 'fix the file and run again (formats: README "Input formats")',
      exit_code: 2,
      issues: [
        { file: 'p.csv', line: 3, field: 'quantity', message: 'quantity "x" is not a number' },
        { file: 'p.csv', message: 'weights sum to 1.2, above 1' },
      ],
    });
    expect(describeError(err).details).toEqual(['p.csv:3 (quantity): quantity "x" is not a number', 'p.csv: weights sum to 1.2, above 1']);
  });

  it('a message of several lines is one line in JSON; issues are always there', () => {
    const json = errorJson(describeError(new InvalidInputError('paper cannot take the orders some lines name\nleg 0: no OCO\nleg 2: no brackets', 'change those lines')));
    expect(json).toEqual({ message: 'paper cannot take the orders some lines name; leg 0: no OCO; leg 2: no brackets', hint: 'change those lines', exit_code: 2, issues: [] });
    expect(errorJson(describeError(new Error('boom')))).toEqual({ message: 'boom', hint: null, exit_code: 1, issues: [] });
  });

  it('oclif\'s parse errors in one line', () => {
    const message = (text: string) => usageError(new Error(text), ['limit'], 'runs').message;
    expect(message('Missing 1 required arg:\nfile  target portfolio\nSee more help with --help')).toBe('missing argument file (target portfolio)');
    expect(message('The following errors occurred:\n  Missing required flag price\n  Missing required flag qty')).toBe('missing flags --price, --qty');
    expect(message('The following error occurred:\n  --json=true cannot also be provided when using --csv\nSee more help with --help')).toBe('--json cannot also be provided when using --csv');
    expect(message('Parsing --limit \n\tExpected an integer but received: x')).toBe('--limit: expected an integer but received: x');
  });
});

describe('the README shows the contract', () => {
  it('its JSON examples of a result and of an error follow the schemas', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/^ {2}/gm, ''));
    const parsed = blocks.flatMap((b) => {
      try {
        return [JSON.parse(b) as Record<string, unknown>];
      } catch {
        return []; // an input example with comments, say: not an output
      }
    });
    const outputs = parsed.filter((o) => 'results' in o || 'error' in o);
    expect(outputs.map((o) => Object.keys(o)[0])).toEqual(['error', 'run_id']);
    for (const o of outputs) expect(violations('error' in o ? 'error.json' : 'rebalance.json', o)).toEqual([]);
  });
});
