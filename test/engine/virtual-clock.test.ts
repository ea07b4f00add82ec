import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/engine/clock/index.js';

describe('VirtualClock', () => {
  it('run() fires the timers of one instant before I/O and immediates, each after the promise callbacks of the one before', async () => {
    const clock = new VirtualClock(0);
    const seen: string[] = [];
    // An observer that, like the engine's loop, looks once the immediates run: the timers of one
    // instant (and what their promises do) reach it together; a later instant, or a timer armed
    // for now by one of them, comes after it looked.
    const look = () => setImmediate(() => seen.push('look'));
    const at = (ms: number, name: string) => clock.setTimeout(() => void Promise.resolve().then(() => (seen.push(name), look())), ms);
    at(10, 'a');
    at(10, 'b');
    clock.setTimeout(() => clock.setTimeout(() => seen.push('armed for now'), 0), 10);
    at(20, 'c');
    await clock.run(clock.sleep(30));
    expect(seen.filter((s, i) => s !== 'look' || seen[i - 1] !== 'look')).toEqual(['a', 'b', 'look', 'armed for now', 'c', 'look']);
  });

  it('fires timers by time, and timers of the same time in the order they were set', async () => {
    const clock = new VirtualClock(0);
    const fired: string[] = [];
    // Scrambled times, with ties, so that a heap that ignored the tie-break would show it.
    const times = [50, 10, 30, 10, 70, 30, 0, 50, 10, 90, 20, 0];
    times.forEach((t, i) => clock.setTimeout(() => fired.push(`${t}:${i}`), t));
    await clock.advance(100);
    const expected = times.map((t, i) => ({ t, i })).sort((a, b) => a.t - b.t || a.i - b.i).map(({ t, i }) => `${t}:${i}`);
    expect(fired).toEqual(expected);
    expect(clock.now()).toBe(100);
  });

  it('never fires a cleared timer and counts only live ones', async () => {
    const clock = new VirtualClock(0);
    const fired: number[] = [];
    const handles = Array.from({ length: 10 }, (_, i) => clock.setTimeout(() => fired.push(i), (i % 4) * 10));
    for (const i of [0, 3, 4, 9]) clock.clearTimeout(handles[i]!);
    clock.clearTimeout(handles[3]!);
    expect(clock.pendingTimers()).toBe(6);
    await clock.advance(15);
    expect(fired).toEqual([8, 1, 5]);
    expect(clock.pendingTimers()).toBe(3);
    await clock.advance(100);
    expect(fired).toEqual([8, 1, 5, 2, 6, 7]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('runs timers set by timers, at their own time, and stops at the end of an advance', async () => {
    const clock = new VirtualClock(1_000);
    const at: number[] = [];
    const tick = () => {
      at.push(clock.now());
      if (at.length < 5) clock.setTimeout(tick, 25);
    };
    clock.setTimeout(tick, 0);
    await clock.advance(60);
    expect(at).toEqual([1_000, 1_025, 1_050]);
    expect(clock.now()).toBe(1_060);
    expect(await clock.run(clock.sleep(500).then(() => clock.now()))).toBe(1_560);
    expect(at).toEqual([1_000, 1_025, 1_050, 1_075, 1_100]);
  });
});
