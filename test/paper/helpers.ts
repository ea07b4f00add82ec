import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrokerEvent } from '../../src/brokers/broker.js';
import { createPaperBroker, resetPaperAccount, type PaperBroker, type PaperBrokerOptions, type PaperHoldingSeed } from '../../src/brokers/paper/index.js';
import type { OrderRequest } from '../../src/domain/order.js';
import { VirtualClock } from '../../src/engine/clock/index.js';
import { openDatabase } from '../../src/app/database.js';
import type { Store } from '../../src/store/store.js';

/** 2026-01-05 (a Monday) 05:00 UTC = 10:30 IST, inside the real NSE session. */
export const MONDAY_MORNING = Date.UTC(2026, 0, 5, 5, 0, 0);

export interface Harness {
  store: Store;
  clock: VirtualClock;
  broker: PaperBroker;
  events: BrokerEvent[];
}

export function openStore(path = ':memory:'): Store {
  return openDatabase(path);
}

export function harness(
  options: Partial<Omit<PaperBrokerOptions, 'db' | 'clock'>> & { store?: Store; clock?: VirtualClock; cash?: number; holdings?: PaperHoldingSeed[] } = {},
): Harness {
  const store = options.store ?? openStore();
  const clock = options.clock ?? new VirtualClock(MONDAY_MORNING);
  if (options.cash !== undefined || options.holdings) resetPaperAccount(store.brokerTables('paper'), { cash: options.cash, holdings: options.holdings, now: clock.now() });
  const broker = createPaperBroker({ seed: 7, ...options, tables: store.brokerTables('paper'), clock });
  const events: BrokerEvent[] = [];
  broker.subscribe((e) => events.push(e));
  return { store, clock, broker, events };
}

let nextClientId = 1;

export function order(overrides: Partial<OrderRequest> = {}): OrderRequest {
  return {
    clientOrderId: `auto${nextClientId++}`,
    symbol: 'RELIANCE',
    exchange: 'NSE',
    side: 'buy',
    type: 'market',
    quantity: 10,
    timeInForce: 'day',
    product: 'delivery',
    ...overrides,
  };
}

/** Places an order and runs the clock until the order is final (or `maxMs` of clock time passed). */
export async function placeAndWait(h: Harness, request: OrderRequest, maxMs = 3_600_000): Promise<string> {
  const { brokerOrderId } = await h.clock.run(h.broker.placeOrder(request));
  await waitFinal(h, brokerOrderId, maxMs);
  return brokerOrderId;
}

export async function waitFinal(h: Harness, brokerOrderId: string, maxMs = 3_600_000): Promise<void> {
  const deadline = h.clock.now() + maxMs;
  while (h.clock.now() < deadline) {
    const found = (await h.broker.orders()).find((o) => o.brokerOrderId === brokerOrderId);
    if (found && ['filled', 'cancelled', 'rejected', 'expired'].includes(found.status)) {
      await h.clock.advance(100);
      return;
    }
    await h.clock.advance(1_000);
  }
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ptexec-paper-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
