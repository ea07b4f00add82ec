import { WallClock } from '../../src/engine/clock/index.js';
import { GrowwConfigSchema, type GrowwSettings } from '../../src/brokers/groww/config.js';
import { GrowwBroker, type GrowwBrokerOptions } from '../../src/brokers/groww/groww-broker.js';
import { GROWW_EMULATOR_KEYS, type GrowwEmulator, type GrowwEmulatorOptions, startGrowwEmulator } from '../emulators/groww/groww-emulator.js';
import { seededRandom } from '../zerodha/harness.js';

export interface GrowwHarness {
  emu: GrowwEmulator;
  broker: GrowwBroker;
  settings: GrowwSettings;
  close(): Promise<void>;
}

export async function startGrowwHarness(
  emuOptions: GrowwEmulatorOptions = {},
  brokerOptions: Partial<Omit<GrowwBrokerOptions, 'settings'>> & { settings?: Partial<GrowwSettings> } = {},
): Promise<GrowwHarness> {
  const emu = await startGrowwEmulator(emuOptions);
  const { settings: overrides, ...rest } = brokerOptions;
  const settings = GrowwConfigSchema.parse({ api_url: emu.url, instruments_url: emu.instrumentsUrl, timeout_ms: 2_000, poll_ms: 200, ...overrides });
  const broker = new GrowwBroker({ settings, accessToken: GROWW_EMULATOR_KEYS.accessToken, clock: new WallClock(), random: seededRandom(), rateLimit: false, retryBaseMs: 10, ...rest });
  return {
    emu,
    broker,
    settings,
    async close() {
      await broker.close();
      await emu.close();
    },
  };
}
