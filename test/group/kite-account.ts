import type { Broker } from '../../src/brokers/broker.js';
import { ZerodhaConfigSchema } from '../../src/brokers/zerodha/config.js';
import { ZerodhaBroker } from '../../src/brokers/zerodha/zerodha-broker.js';
import { PAPER_UNIVERSE } from '../../src/brokers/paper/universe.js';
import { WallClock } from '../../src/engine/clock/index.js';
import { seededRandom } from '../zerodha/harness.js';
import type { EmulatedInstrument, KiteEmulator } from '../emulators/kite/index.js';

/** The paper universe's prices for these symbols, as the Kite emulator lists them: the accounts of a group trade one market. */
export function kiteInstruments(symbols: readonly string[]): EmulatedInstrument[] {
  return symbols.map((symbol, i) => {
    const p = PAPER_UNIVERSE.find((x) => x.symbol === symbol && x.exchange === 'NSE')!;
    const last = p.referencePrice;
    return { token: 200_001 + i, symbol, exchange: 'NSE', name: p.name.toUpperCase(), tick: p.tickSize, lot: 1, bid: last - p.tickSize, ask: last + p.tickSize, last, close: last, volume: 5_000_000 };
  });
}

/**
 * The Kite adapter a group's `zerodha` account opens, against the emulator, without the waits
 * that only cost a test time: no client-side rate limit (the emulator is told to allow it), one
 * try per read, short backoffs. Its circuit breaker opens after the usual 5 failures.
 */
export function kiteAdapter(emu: KiteEmulator): (id: string) => Broker | undefined {
  return (id) =>
    id === 'zerodha'
      ? new ZerodhaBroker({
          settings: ZerodhaConfigSchema.parse({ api_url: emu.url, ws_url: emu.wsUrl, login_url: emu.loginUrl, timeout_ms: 2_000 }),
          apiKey: emu.apiKey,
          accessToken: 'emuaccesstoken0001',
          clock: new WallClock(),
          random: seededRandom(),
          rateLimit: false,
          readAttempts: 1,
          retryBaseMs: 20,
          reconnect: { baseMs: 50, maxMs: 200 },
        })
      : undefined;
}
