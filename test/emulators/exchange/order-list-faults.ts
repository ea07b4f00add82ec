import type { WireError } from './emulator-server.js';

/**
 * For brokers polled for order updates (no order-update stream ptexec uses): what a stream's
 * faults do to a reader, these do to the order list: it fails for a while (a cut), answers
 * from a frozen moment (a gap), lists every order twice (duplicates), or alternates between a
 * moment ago and now (out of order).
 */
export class OrderListFaults {
  failLeft = 0;
  frozen?: unknown[];
  frozenLeft = 0;
  duplicate = false;
  reorderBase?: unknown[];
  private flip = false;

  /** `failure`: the broker's own 5xx answer. */
  constructor(private readonly failure: () => WireError) {}

  /** The next `count` order-list calls answer the broker's 5xx. */
  fail(count: number): void {
    this.failLeft = count;
  }
  /** The next `count` order-list calls answer the list as it is now (0 ends it). */
  freeze(count: number, now: () => unknown[]): void {
    this.frozenLeft = count;
    this.frozen = count > 0 ? now() : undefined;
  }
  /** While on, order-list calls alternate between the list as it was when this began and the list now. */
  reorder(on: boolean, now: () => unknown[]): void {
    this.reorderBase = on ? now() : undefined;
  }

  answer(current: unknown[]): unknown[] {
    if (this.failLeft > 0) {
      this.failLeft--;
      throw this.failure();
    }
    let rows = current;
    if (this.frozenLeft > 0 && this.frozen) {
      this.frozenLeft--;
      rows = this.frozen;
    } else if (this.reorderBase) {
      this.flip = !this.flip;
      if (this.flip) rows = this.reorderBase;
    }
    return this.duplicate ? rows.flatMap((r) => [r, r]) : rows;
  }
}
