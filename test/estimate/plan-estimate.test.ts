import { afterEach, describe, expect, it } from 'vitest';
import { executionFromFlags } from '../../src/app/execution-spec.js';
import { loadCostModel } from '../../src/app/loaders/cost-model.js';
import { checkedPlanJson } from '../../src/app/render/run-result.js';
import { costHooks } from '../../src/engine/estimate/plan-hooks.js';
import { violations } from '../schemas/contract.js';
import { MONDAY_10_IST, World } from '../engine/world.js';

const worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

/** A dry run planned as `check` plans it: the shipped cost model, on the world's clock. */
async function dryRun(text: string, flags: Parameters<typeof executionFromFlags>[0]) {
  const world = new World({}, { cash: 10_000_000_000_00, start: MONDAY_10_IST, inMemory: true });
  worlds.push(world);
  const hooks = costHooks(loadCostModel({ XDG_CONFIG_HOME: world.dir }).model, () => world.clock.now(), true);
  const service = world.service();
  const planned = await world.clock.run(service.plan(world.request(text, { dryRun: true, planOptions: { defaultExecution: executionFromFlags(flags), ...hooks } })));
  if (planned.kind !== 'checked') throw new Error(planned.kind);
  return planned;
}

describe('the plan carries each leg\'s cost estimate and --algo auto\'s choice', () => {
  it('check --json: estimates per leg and for the run, the reason of each auto choice, valid against check.json', async () => {
    // RELIANCE 3% of ADV, TATASTEEL 0.001%, ADANIENT 4% with 42% volatility.
    const checked = await dryRun('symbol,target_quantity\nRELIANCE,300000\nTATASTEEL,300\nADANIENT,60000\n', { algo: 'auto' });
    const json = checkedPlanJson(checked, { id: 'paper', account: 'PAPER' }, 'planned', null);
    expect(violations('check.json', json)).toEqual([]);
    const legs = Object.fromEntries(json.plan.legs.map((l) => [l.symbol, l]));
    expect(legs['RELIANCE']!.algo).toBe('twap');
    expect(legs['RELIANCE']!.algo_reason).toMatch(/^3\.00% of ADV is 10\.0% of the volume in \d+h\d+m: TWAP$/);
    expect(legs['ADANIENT']!.algo).toBe('is');
    expect(legs['RELIANCE']!.estimate).toMatchObject({ adv_pct: 3, horizon_volume_pct: expect.closeTo(10, 0) });
    for (const l of json.plan.legs) {
      const e = l.estimate!;
      expect(e.cost_bps).toBeCloseTo(e.spread_cost_bps + e.temporary_impact_bps + e.permanent_impact_bps / 2, 1);
      // Auto's scheduled legs rest limit children at the touch; its market orders take.
      expect(e.style).toBe(l.algo === 'market' ? 'taking' : 'passive');
      expect(e.cost_minor).toBeGreaterThan(0);
    }
    const total = json.plan.estimate!;
    expect(total.cost_minor).toBe(json.plan.legs.reduce((s, l) => s + (l.estimate!.cost_minor ?? 0), 0));
    expect(total.std_minor).toBeLessThan(json.plan.legs.reduce((s, l) => s + (l.estimate!.std_minor ?? 0), 0));
  });

  it('a named algorithm keeps its horizon; its estimate is for that horizon', async () => {
    const checked = await dryRun('symbol,target_quantity\nRELIANCE,100000\n', { algo: 'twap', duration: '1h' });
    const leg = checked.plan.legs[0]!;
    expect([leg.execution.algo, leg.algoReason, leg.estimate?.horizonMs]).toEqual(['twap', undefined, 3_600_000]);
  });

  it('--algo auto refuses a horizon of the user\'s, and a --param no algorithm takes (exit 2)', () => {
    expect(() => executionFromFlags({ algo: 'auto', duration: '1h' })).toThrow(/--algo auto chooses each leg's horizon itself: --duration/);
    expect(() => executionFromFlags({ algo: 'auto', param: ['nonsense=1'] })).toThrow(/--param nonsense is a parameter of no algorithm/);
    expect(executionFromFlags({ algo: 'auto', param: ['child_type=market'] })).toEqual({ algo: 'auto', orderType: 'limit', params: { child_type: 'market' } });
  });
});
