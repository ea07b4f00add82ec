import { WallClock } from '../../src/engine/clock/index.js';
import { ZerodhaConfigSchema, type ZerodhaSettings } from '../../src/brokers/zerodha/config.js';
import { ZerodhaBroker, type ZerodhaBrokerOptions } from '../../src/brokers/zerodha/zerodha-broker.js';
import type { OrderRequest } from '../../src/domain/order.js';
import { type KiteEmulator, type KiteEmulatorOptions, startKiteEmulator } from '../emulators/kite/index.js';

/** A seeded source of jitter so retries and reconnects are reproducible. */
export function seededRandom(seed = 42): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface Harness {
  emu: KiteEmulator;
  broker: ZerodhaBroker;
  close(): Promise<void>;
}

export async function startHarness(
  emuOptions: KiteEmulatorOptions = {},
  brokerOptions: Partial<Omit<ZerodhaBrokerOptions, 'settings'>> & { settings?: Partial<ZerodhaSettings> } = {},
): Promise<Harness> {
  const emu = await startKiteEmulator(emuOptions);
  const { settings: overrides, ...rest } = brokerOptions;
  const settings = ZerodhaConfigSchema.parse({ api_url: emu.url, ws_url: emu.wsUrl, login_url: emu.loginUrl, timeout_ms: 2_000, ...overrides });
  const broker = new ZerodhaBroker({
    settings,
    apiKey: emu.apiKey,
    apiSecret: emu.apiSecret,
    accessToken: 'emuaccesstoken0001',
    clock: new WallClock(),
    random: seededRandom(),
    rateLimit: false,
    reconnect: { baseMs: 50, maxMs: 200 },
    ...rest,
  });
  return {
    emu,
    broker,
    async close() {
      await broker.close();
      await emu.close();
    },
  };
}

export function order(overrides: Partial<OrderRequest> = {}): OrderRequest {
  return {
    clientOrderId: 'R1L1C1',
    symbol: 'INFY',
    exchange: 'NSE',
    side: 'buy',
    type: 'limit',
    quantity: 10,
    limitPrice: 150_010,
    timeInForce: 'day',
    product: 'delivery',
    ...overrides,
  };
}

/** Polls `check` until it returns a truthy value (real time, for socket-driven scenarios). */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 5_000): Promise<NonNullable<T>> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
