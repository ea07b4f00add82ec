import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliSandbox, paperOrderCount, ROOT } from './cli-harness.js';

let box: CliSandbox;
beforeEach(() => {
  box = new CliSandbox();
});
afterEach(() => box.cleanup());

const example = (name: string) => join(ROOT, 'examples', name);
const HOUR = 3_600_000;
const IST_OFFSET = 5.5 * HOUR;

const SLICES = 12;

/** The longest a leg may work (`--duration` at most 24h). */
const MAX_HOURS = 24;

/**
 * Whole hours of TWAPs of `SLICES` slices, one after the other, whose last slice starts more
 * than an hour past the next midnight in India (where the paper account trades): the market
 * time gets there even when every slice fills at once. One TWAP does it unless midnight in India
 * has just passed (then the next is over 21 hours away and a leg works at most 24 hours): a
 * shorter TWAP goes first, so the test passes at any hour of the day.
 */
function twapHoursPastNextIstMidnight(now: number): number[] {
  const untilMidnight = 24 * HOUR - ((now + IST_OFFSET) % (24 * HOUR));
  const hours = Math.ceil(((untilMidnight + HOUR) * SLICES) / (SLICES - 1) / HOUR);
  if (hours <= MAX_HOURS) return [hours];
  return [hours - MAX_HOURS + 1, MAX_HOURS];
}

type RunJson = { run_id: string; created_at: string; updated_at: string };

describe('simulated market time is never written as wall-clock time', () => {
  it('after a --speed max TWAP that runs into tomorrow: same file same day is refused, runs are wall-clock stamped and newest first', async () => {
    const first = await box.json<{ run_id: string }>(['rebalance', example('portfolio.json'), '--speed', 'max']);
    expect(first.code).toBe(0);

    // The TWAP's simulated market runs past the next midnight in India. A one-second kill-switch
    // poll and market children (no resting orders to match) keep the many simulated hours cheap.
    const risk = join(box.dir, 'risk.json');
    // Over a simulated day the price walks further from arrival than the run-slippage breaker's 150 bps: time is the subject here, not cost.
    writeFileSync(risk, JSON.stringify({ kill_switch: { poll_ms: 1000 }, breakers: { run_slippage: { max_bps: null } } }));
    const chunks = twapHoursPastNextIstMidnight(Date.now());
    const hours = chunks.at(-1)!;
    // A TWAP that moves the market first trades a target of its own (the last one would find nothing to do).
    const ahead = join(box.dir, 'ahead.json');
    writeFileSync(ahead, JSON.stringify({ positions: [{ symbol: 'TCS', quantity: 24 }] }));
    const twaps: { run_id: string }[] = [];
    for (const [i, h] of chunks.entries()) {
      const target = i === chunks.length - 1 ? example('quantities.csv') : ahead;
      const run = await box.json<{ run_id: string; status: string }>(
        ['rebalance', target, '--algo', 'twap', '--duration', `${h}h`, '--slices', String(SLICES), '--param', 'child_type=market', '--speed', 'max', '--risk', risk],
      );
      expect(run.code, JSON.stringify(run.body)).toBe(0);
      twaps.unshift(run.body);
    }
    const twap = { body: twaps[0]! };

    // The paper market's clock is now in tomorrow; the wall clock is still today.
    const sent = paperOrderCount(box.db);
    const again = await box.json<{ error: { message: string } }>(['rebalance', example('portfolio.json'), '--speed', 'max']);
    expect(again.code).toBe(6);
    expect(again.body.error.message).toContain(`run ${first.body.run_id} already ran this target`);
    expect(paperOrderCount(box.db)).toBe(sent);

    // A run at --speed N starts after the market's latest time, but is recorded now.
    const small = join(box.dir, 'small.json');
    writeFileSync(small, JSON.stringify({ positions: [{ symbol: 'WIPRO', quantity: 7 }] }));
    const latest = await box.json<{ run_id: string; status: string }>(['rebalance', small, '--speed', '1000']);
    expect(latest.code).toBe(0);

    const listed = await box.json<{ runs: RunJson[] }>(['runs']);
    const now = Date.now();
    expect(listed.body.runs.map((r) => r.run_id)).toEqual([latest.body.run_id, ...twaps.map((t) => t.run_id), first.body.run_id]);
    for (const r of listed.body.runs) {
      expect(Date.parse(r.created_at)).toBeLessThanOrEqual(now);
      expect(Date.parse(r.updated_at)).toBeLessThanOrEqual(now);
    }

    const shown = await box.json<{ run: RunJson }>(['runs', 'show']);
    expect(shown.body.run.run_id).toBe(latest.body.run_id);
    const tca = await box.json<{ run_id: string }>(['tca']);
    expect(tca.body.run_id).toBe(latest.body.run_id);

    // watch: the recording time stays `ts`/`time`; the simulated market time is its own field.
    const watched = await box.run(['watch', twap.body.run_id, '--json']);
    expect(watched.code).toBe(0);
    const events = watched.stdout.trim().split('\n').map((l) => JSON.parse(l) as { run_id: string; ts: number; time: string; market_ts: number | null; market_time: string | null; type: string });
    expect(events.every((e) => e.ts <= now && e.time === new Date(e.ts).toISOString())).toBe(true);
    const marketTimes = events.filter((e) => e.market_ts !== null).map((e) => e.market_ts!);
    expect(marketTimes.length).toBe(events.length);
    expect(Math.max(...marketTimes) - Math.min(...marketTimes)).toBeGreaterThan(((hours * (SLICES - 1)) / SLICES) * HOUR);
    expect(events.find((e) => e.type === 'run.created')!.market_time).toBe(new Date(marketTimes[0]!).toISOString());
  });
});
