import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { storePorts } from '../../src/app/factory/store-ports.js';
import type { ExecutionSpec, Plan, AccountSnapshot } from '../../src/domain/plan.js';
import { hashContent } from '../../src/engine/identity.js';
import { RebalanceService } from '../../src/engine/rebalance/rebalance-service.js';
import { checkPlan, defaultRiskConfig, RiskGate, type PlanRiskResult } from '../../src/engine/risk/index.js';
import { SqliteOrderHistory } from '../../src/store/risk-queries.js';
import { World } from '../engine/world.js';
import { connectionOf } from '../../src/store/connection.js';

/**
 * The duplicate rule is about intent: back-to-back runs of different targets never trip it,
 * however often their legs or TWAP slices happen to have the same symbol, side and size; the
 * same target sent again while an earlier run of it traded always does, with exact counts.
 */
const SYMBOLS = ['TCS', 'INFY', 'SBIN', 'ITC', 'LT'];
const TRADING_DATE = '2026-01-05';

const runSpec = fc.record({
  lines: fc.uniqueArray(fc.record({ symbol: fc.constantFrom(...SYMBOLS), quantity: fc.constantFrom(10, 20, 30, 40) }), { selector: (l) => l.symbol, minLength: 1, maxLength: 4 }),
  slices: fc.constantFrom(0, 2, 4),
});
const scenario = fc.record({ runs: fc.array(runSpec, { minLength: 2, maxLength: 4 }), resubmit: fc.nat() }).filter((s) => new Set(s.runs.map((r) => targetText(r.lines))).size === s.runs.length);

function targetText(lines: { symbol: string; quantity: number }[]): string {
  return `symbol,target_quantity\n${lines.map((l) => `${l.symbol},${l.quantity}`).join('\n')}\n`;
}

function execution(slices: number): ExecutionSpec {
  // TWAP slices of a leg are equal (10 → 5 + 5), so they often equal other runs' orders.
  return slices ? { algo: 'twap', orderType: 'market', params: { duration: '2m', slices, child_type: 'market' } } : { algo: 'market', orderType: 'market', params: {} };
}

const duplicateReasons = (r: PlanRiskResult) => [...r.run, ...r.legs.flatMap((l) => l.reasons)].filter((x) => x.rule === 'duplicate');

describe('duplicate rule: intent, not coincidence', () => {
  it('random runs of different targets never trip it; resubmitting one of them always does, with exact counts', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ runs, resubmit }) => {
        const world = new World({}, { inMemory: true });
        try {
          const { store, broker, clock } = world;
          const config = defaultRiskConfig();
          const history = new SqliteOrderHistory(store);
          const guard = new RiskGate({ config, broker: { id: broker.id, account: broker.account, capabilities: broker.capabilities }, currency: 'INR' });
          const traded: { runId: string; text: string; plan: Plan; snapshot: AccountSnapshot }[] = [];
          for (const spec of runs) {
            const text = targetText(spec.lines);
            // Orders are recorded on this clock, so it is also the wall clock of the duplicate window.
            const service = new RebalanceService({ log: store, ...storePorts(store), broker, clock, guard, risk: { config, history }, wallClock: () => clock.now() });
            const request = world.request(text, { planOptions: { defaultExecution: execution(spec.slices) }, tradingDate: TRADING_DATE });
            const checked = await clock.run(service.plan(request));
            if (checked.kind !== 'checked') throw new Error(`unexpected ${checked.kind}`);
            expect(duplicateReasons(checked.risk)).toEqual([]);
            expect(checked.risk.verdict).not.toBe('block');
            const outcome = await clock.run(service.execute(checked));
            service.release();
            expect(outcome.status).toBe('completed');
            if (checked.plan.legs.length) traded.push({ runId: checked.runId, text, plan: checked.plan, snapshot: checked.snapshot });
          }
          const refused = connectionOf(store).prepare("SELECT count(*) FROM events WHERE type = 'risk.checked' AND payload LIKE '%duplicate%'").pluck().get();
          expect(refused).toBe(0);

          // The same target again (--new-run), while the broker does not show its fills yet.
          const earlier = traded[resubmit % traded.length]!;
          const again = checkPlan(earlier.plan, earlier.snapshot, {
            config,
            now: clock.now(),
            wallNow: clock.now(),
            runId: 'resubmit',
            history,
            intent: { targetHash: hashContent(earlier.text), tradingDate: TRADING_DATE },
          });
          const counts = connectionOf(store)
            .prepare(
              `SELECT count(DISTINCT parent_id) legs, count(*) orders FROM orders
                WHERE run_id = ? AND parent_id IS NOT NULL AND filled_quantity > 0`,
            )
            .get(earlier.runId) as { legs: number; orders: number };
          const reasons = duplicateReasons(again);
          expect(reasons).toHaveLength(1);
          expect(again.run).toContainEqual(reasons[0]);
          expect(reasons[0]!.level).toBe('block');
          expect(reasons[0]!.message).toContain(`run ${earlier.runId} traded this same target`);
          expect(reasons[0]!.message).toContain(`${counts.legs} leg${counts.legs === 1 ? '' : 's'}, ${counts.orders} order${counts.orders === 1 ? '' : 's'} filled or working`);
          expect(again.verdict).toBe('block');

          // --allow-duplicate: the same finding, as a warning.
          const allowed = checkPlan(earlier.plan, earlier.snapshot, {
            config,
            now: clock.now(),
            wallNow: clock.now(),
            runId: 'resubmit',
            history,
            intent: { targetHash: hashContent(earlier.text), tradingDate: TRADING_DATE },
            allowDuplicate: true,
          });
          expect(duplicateReasons(allowed).map((r) => r.level)).toEqual(['warn']);
        } finally {
          await world.close();
        }
      }),
      { seed: 20260111, numRuns: 25 },
    );
  }, 60_000);
});
