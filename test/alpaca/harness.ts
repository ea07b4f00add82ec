import { AlpacaBroker, type AlpacaBrokerOptions } from '../../src/brokers/alpaca/alpaca-broker.js';
import { type AlpacaSettings, parseAlpacaSettings } from '../../src/brokers/alpaca/config.js';
import { WallClock } from '../../src/engine/clock/index.js';
import { type AlpacaEmulator, type AlpacaEmulatorOptions, startAlpacaEmulator } from '../emulators/alpaca/index.js';
import { seededRandom } from '../zerodha/harness.js';

/** The settings that point the adapter at an emulator (trading API, stream and market data on one address). */
export function emulatorSettings(emu: Pick<AlpacaEmulator, 'url'>, overrides: Partial<AlpacaSettings> = {}): AlpacaSettings {
  const parsed = parseAlpacaSettings({ timeout_ms: 2_000, ...overrides }, { PTEXEC_ALPACA_URL: emu.url });
  if (!parsed.settings) throw new Error(parsed.error);
  return parsed.settings;
}

export interface AlpacaHarness {
  emu: AlpacaEmulator;
  broker: AlpacaBroker;
  close(): Promise<void>;
}

export async function startAlpacaHarness(
  emuOptions: AlpacaEmulatorOptions = {},
  brokerOptions: Partial<Omit<AlpacaBrokerOptions, 'settings'>> & { settings?: Partial<AlpacaSettings> } = {},
): Promise<AlpacaHarness> {
  const emu = await startAlpacaEmulator(emuOptions);
  const { settings, ...rest } = brokerOptions;
  const broker = new AlpacaBroker({
    settings: emulatorSettings(emu, settings),
    keyId: emu.keyId,
    secretKey: emu.secretKey,
    clock: new WallClock(),
    random: seededRandom(),
    rateLimit: false,
    reconnect: { baseMs: 20, maxMs: 100 },
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
