import { afterEach, describe, expect, it } from 'vitest';
import { RunDisplay } from '../../src/app/run-display.js';
import { formatMoney } from '../../src/domain/money.js';
import type { RunDashboardOptions } from '../../src/ui/run-dashboard.js';
import { World, THIN_BOOK } from '../engine/world.js';
import { connectionOf } from '../../src/store/connection.js';
import { fakeIO } from '../lib/fake-terminal.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** An IO over pipes, and the progress lines (stderr) it printed so far. */
function captured() {
  const { io, stderr } = fakeIO();
  return { out: io, lines: () => stderr.text().split('\n').filter(Boolean) };
}

/** The final progress line must count every fill of the run, not only the ones this display saw. */
function expectSummaryOfWholeRun(lines: string[], runId: string, status: string): void {
  const fills = connectionOf(world!.store).prepare('SELECT sum(quantity) q, sum(quantity * price) v FROM fills WHERE run_id = ?').get(runId) as { q: number; v: number };
  const ordered = connectionOf(world!.store).prepare('SELECT sum(quantity) FROM orders WHERE run_id = ? AND parent_id IS NULL').pluck().get(runId) as number;
  expect(fills.q).toBeGreaterThan(0);
  const summary = lines.filter((l) => l.includes(`run ${status}`)).at(-1);
  expect(summary).toContain(`filled ${fills.q.toLocaleString('en-IN')}/${ordered.toLocaleString('en-IN')}`);
  expect(summary).toContain(`traded ${formatMoney(fills.v, 'INR')}`);
}

const TARGET = 'symbol,target_quantity\nRELIANCE,800\nTCS,300\n';

describe('the end-of-run summary of a run shown in this process', () => {
  it('after a resume counts what the run did before it', async () => {
    world = new World({}, { model: THIN_BOOK });
    const controller = new AbortController();
    const first = world.service({ signal: controller.signal });
    const request = world.request(TARGET);
    const checked = await world.clock.run(first.plan(request));
    if (checked.kind !== 'checked') throw new Error(checked.kind);
    world.clock.setTimeout(() => controller.abort(), 20_000);
    const before = await world.clock.run(first.execute(checked));
    expect(before.status).toBe('interrupted');
    const reliance = before.legs.find((l) => l.symbol === 'RELIANCE')!;
    expect(reliance.filled / reliance.quantity).toBeGreaterThan(0.25);
    first.release();

    const { out, lines } = captured();
    const display = await RunDisplay.open(out, { noUi: true });
    const service = world.service({ onEvents: display.onEvents, runtimeOptions: { defaultHorizonMs: 60 * 60_000 } });
    const outcome = await display.around(() => world!.clock.run(service.resume(checked.runId)), { store: world.store, runId: () => checked.runId, stop: () => undefined });
    service.release();
    expect(outcome).toMatchObject({ status: 'completed' });
    expectSummaryOfWholeRun(lines(), checked.runId, 'completed');
    // A milestone the run had passed before is not announced again.
    expect(lines().filter((l) => /RELIANCE 25% filled/.test(l))).toEqual([]);
  });

  it('after the dashboard was left (q or Ctrl-C) counts what the dashboard showed', async () => {
    world = new World({}, { model: THIN_BOOK });
    const { out, lines } = captured();
    // The dashboard is left after the first fills; progress lines carry on.
    const dashboard = async (options: RunDashboardOptions) => {
      await new Promise<void>((resolve) => {
        const stop = options.source.start((events) => {
          if (events.some((e) => e.type === 'fill.recorded')) {
            queueMicrotask(stop);
            resolve();
          }
        });
      });
      return { detached: true, exit: 'detach' as const };
    };
    const display = await RunDisplay.open(out, { noUi: false, dashboard });
    const service = world.service({ onEvents: display.onEvents, runtimeOptions: { defaultHorizonMs: 60 * 60_000 } });
    const request = world.request(TARGET);
    const checked = await world.clock.run(service.plan(request));
    if (checked.kind !== 'checked') throw new Error(checked.kind);
    const outcome = await display.around(() => world!.clock.run(service.execute(checked)), { store: world.store, runId: () => checked.runId, stop: () => undefined });
    service.release();
    expect(outcome.status).toBe('completed');
    expect(lines().some((l) => l.includes('created'))).toBe(false); // shown on the dashboard, not repeated
    expectSummaryOfWholeRun(lines(), checked.runId, 'completed');
  });
});
