import { FyersConfigSchema, type FyersSettings } from '../../src/brokers/fyers/config.js';
import { FyersBroker, type FyersBrokerOptions } from '../../src/brokers/fyers/fyers-broker.js';
import { WallClock } from '../../src/engine/clock/index.js';
import { type FyersEmulator, type FyersEmulatorOptions, startFyersEmulator } from '../emulators/fyers/fyers-emulator.js';
import { seededRandom } from '../zerodha/harness.js';

export interface FyersHarness {
  emu: FyersEmulator;
  broker: FyersBroker;
  close(): Promise<void>;
}

/** The adapter's settings pointed at an emulator. */
export function emulatorSettings(emu: FyersEmulator, overrides: Partial<FyersSettings> = {}): FyersSettings {
  return FyersConfigSchema.parse({ api_url: emu.apiUrl, data_url: emu.dataUrl, symbols_url: emu.symbolsUrl, ws_url: emu.wsUrl, timeout_ms: 2_000, ...overrides });
}

export async function startFyersHarness(
  emuOptions: FyersEmulatorOptions = {},
  brokerOptions: Partial<Omit<FyersBrokerOptions, 'settings'>> & { settings?: Partial<FyersSettings> } = {},
): Promise<FyersHarness> {
  // The emulator's 10/s is met by the adapter's limiter; tests that are not about it switch both off.
  const emu = await startFyersEmulator({ perSecond: 1_000, ...emuOptions });
  const { settings, ...rest } = brokerOptions;
  const broker = new FyersBroker({
    settings: emulatorSettings(emu, settings),
    appId: emu.appId,
    accessToken: emu.accessToken,
    secrets: [emu.appSecret, emu.pin],
    clock: new WallClock(),
    random: seededRandom(),
    rateLimit: false,
    reconnect: { baseMs: 30, maxMs: 100 },
    retryBaseMs: 10,
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
