import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/domain/clock.js';
import { Throttle } from '../../src/engine/runtime/throttle.js';

/** A clock the test moves by hand (the throttle only reads it). */
function handClock(): Clock & { at: number } {
  return { at: 0, now() { return this.at; } } as Clock & { at: number };
}

/** Sends `queued` orders through `throttle`, moving the clock to each wait; the times they left at. */
function sendAll(clock: { at: number }, throttle: Throttle, queued: number): number[] {
  const sent: number[] = [];
  while (sent.length < queued) {
    const wait = throttle.take(queued - sent.length);
    if (wait > 0) clock.at += wait;
    else sent.push(clock.at);
  }
  return sent;
}

describe('Throttle', () => {
  it('sends a backlog in batches of a tenth of a second, at the same rate and never above the burst', () => {
    const clock = handClock();
    const throttle = new Throttle(clock, 100, 100);
    const sent = sendAll(clock, throttle, 130);
    // The burst leaves at once, then batches of 10 every 100 ms (not one every 10 ms).
    expect(sent.slice(0, 100).every((t) => t === 0)).toBe(true);
    expect(sent.slice(100, 110)).toEqual(Array(10).fill(100));
    expect(sent.slice(110, 120)).toEqual(Array(10).fill(200));
    expect(sent.slice(120, 130)).toEqual(Array(10).fill(300));
  });

  it('waits only for as many tokens as orders are queued, and at 10/s still sends one at a time', () => {
    const clock = handClock();
    const small = new Throttle(clock, 100, 5);
    for (let i = 0; i < 5; i++) expect(small.take(8)).toBe(0);
    // Three queued: waits for three tokens (30 ms), not one, then all three leave together.
    expect(small.take(3)).toBe(30);
    clock.at = 10;
    expect(small.take(3)).toBe(20);
    clock.at = 30;
    expect([small.take(3), small.take(2), small.take(1)]).toEqual([0, 0, 0]);
    const slow = new Throttle(handClock(), 10, 10);
    for (let i = 0; i < 10; i++) expect(slow.take(50)).toBe(0);
    expect(slow.take(40)).toBe(100);
  });
});
