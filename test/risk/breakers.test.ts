import { describe, expect, it } from 'vitest';
import { defaultRiskConfig, validateRiskConfig } from '../../src/engine/risk/config.js';
import { circuitLimits, circuitTrip } from '../../src/engine/risk/breakers/circuit-limit.js';
import { runLossTrip } from '../../src/engine/risk/breakers/run-loss.js';
import { runSlippageTrip } from '../../src/engine/risk/breakers/run-slippage.js';
import { spreadTrip } from '../../src/engine/risk/breakers/spread.js';
import { volatilityTrip } from '../../src/engine/risk/breakers/volatility.js';

/** Each automatic breaker trips at its threshold and not below (README "Breakers"). */
const LEG = { index: 2, symbol: 'ITC' };

describe('the automatic breakers', () => {
  it('have documented defaults: slippage 150 bps, spread 5x, circuit within 1% of a ±20% band on; loss off', () => {
    expect(defaultRiskConfig().breakers).toEqual({ run_slippage: { max_bps: 150 }, run_loss: { max_value: null }, spread: { max_multiple: 5 }, volatility: { max_multiple: null, window_seconds: 60 }, circuit: { within_pct: 1, band_pct: 20 } });
    expect(validateRiskConfig({ breakers: { spread: { max_multiple: 1 } } })).toEqual({ issues: [expect.objectContaining({ path: 'risk.breakers.spread.max_multiple' })] });
    expect(validateRiskConfig({ breakers: { nonsense: {} } })).toHaveProperty('issues');
  });

  it('run slippage: a buy 1% above arrival is 100 bps; a sell below arrival costs too; off is never', () => {
    // 100 shares bought at 101.00 against an arrival of 100.00 (minor units).
    const buy = { side: 'buy' as const, filled: 100, filledValue: 100 * 10_100, arrivalPrice: 10_000 };
    expect(runSlippageTrip([buy], 100)).toMatchObject({ breaker: 'run_slippage', value: 100, limit: 100, unit: 'bps', message: expect.stringContaining('run slippage 100.0 bps') });
    expect(runSlippageTrip([buy], 100.1)).toBeUndefined();
    expect(runSlippageTrip([buy], null)).toBeUndefined();
    const sell = { side: 'sell' as const, filled: 100, filledValue: 100 * 9_900, arrivalPrice: 10_000 };
    expect(runSlippageTrip([buy, sell], 100)?.value).toBe(100);
    // A sell above arrival earns back what the buy cost.
    expect(runSlippageTrip([buy, { ...sell, filledValue: 100 * 10_100 }], 1)).toBeUndefined();
    expect(runSlippageTrip([{ ...buy, filled: 0, filledValue: 0 }], 0)).toBeUndefined();
  });

  it('run loss: the cost against arrival in money, at the limit and not below', () => {
    const buy = { side: 'buy' as const, filled: 100, filledValue: 100 * 10_100, arrivalPrice: 10_000 };
    // ₹1.00 a share on 100 shares: ₹100.
    expect(runLossTrip([buy], 100, 'INR')).toMatchObject({ breaker: 'run_loss', value: 10_000, limit: 10_000, unit: 'INR' });
    expect(runLossTrip([buy], 100.01, 'INR')).toBeUndefined();
    expect(runLossTrip([buy], null, 'INR')).toBeUndefined();
  });

  it('spread: a multiple of the normal spread, never less than a tick', () => {
    expect(spreadTrip(LEG, { bid: 10_000, ask: 10_050 }, 10, 5, 5)).toMatchObject({ breaker: 'spread', leg: 2, value: 5, limit: 5 });
    expect(spreadTrip(LEG, { bid: 10_000, ask: 10_049 }, 10, 5, 5)).toBeUndefined();
    // A normal spread below a tick counts as one tick.
    expect(spreadTrip(LEG, { bid: 10_000, ask: 10_020 }, 1, 5, 5)).toBeUndefined();
    expect(spreadTrip(LEG, { bid: 10_000, ask: 10_050 }, 10, 5, null)).toBeUndefined();
  });

  it('volatility: the move over the window against what the annual volatility makes normal over that time', () => {
    // 25% a year over a whole year's trading seconds is a 25% move: 1x; e^0.5 − 1 over that time is 2x.
    const year = 252 * 6.25 * 3600;
    expect(volatilityTrip(LEG, { from: 10_000, to: 10_000 * Math.exp(0.5), seconds: year }, 0.25, 2)).toMatchObject({ breaker: 'volatility', leg: 2, value: expect.closeTo(2, 9), limit: 2, unit: 'x' });
    expect(volatilityTrip(LEG, { from: 10_000, to: 10_000 * Math.exp(0.49), seconds: year }, 0.25, 2)).toBeUndefined();
    // A fall counts as much as a rise; a quarter of the time makes half the move normal.
    expect(volatilityTrip(LEG, { from: 10_000, to: 10_000 * Math.exp(-0.25), seconds: year / 4 }, 0.25, 2)?.value).toBeCloseTo(2, 9);
    expect(volatilityTrip(LEG, { from: 10_000, to: 20_000, seconds: 60 }, undefined, 2)).toBeUndefined();
    expect(volatilityTrip(LEG, { from: 10_000, to: 20_000, seconds: 0 }, 0.25, 2)).toBeUndefined();
    expect(volatilityTrip(LEG, { from: 10_000, to: 20_000, seconds: 60 }, 0.25, null)).toBeUndefined();
  });

  it('circuit: the previous close ± the band; within the distance of either limit trips', () => {
    expect(circuitLimits(10_000, 10)).toEqual({ lower: 9_000, upper: 11_000 });
    const limits = { within_pct: 1, band_pct: 10 };
    // 1% below the upper limit of 110.00 is 108.90.
    expect(circuitTrip(LEG, { last: 10_890, close: 10_000 }, limits)).toMatchObject({ breaker: 'circuit', leg: 2, value: expect.closeTo(1, 9), limit: 1, unit: '%' });
    expect(circuitTrip(LEG, { last: 10_889, close: 10_000 }, limits)).toBeUndefined();
    // 1% above the lower limit of 90.00 is 90.90.
    expect(circuitTrip(LEG, { last: 9_090, close: 10_000 }, limits)?.message).toContain('lower circuit limit');
    expect(circuitTrip(LEG, { last: 9_091, close: 10_000 }, limits)).toBeUndefined();
    expect(circuitTrip(LEG, { last: 10_890 }, limits)).toBeUndefined();
    expect(circuitTrip(LEG, { last: 10_890, close: 10_000 }, { ...limits, within_pct: null })).toBeUndefined();
  });
});
