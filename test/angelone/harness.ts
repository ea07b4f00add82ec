import { AngelOneBroker, type AngelOneBrokerOptions } from '../../src/brokers/angelone/angelone-broker.js';
import { AngelOneConfigSchema, type AngelOneSettings } from '../../src/brokers/angelone/config.js';
import { WallClock } from '../../src/engine/clock/index.js';
import { type AngelEmulator, type AngelEmulatorOptions, startAngelEmulator } from '../emulators/angelone/angel-emulator.js';
import { seededRandom } from '../zerodha/harness.js';

export interface AngelHarness {
  emu: AngelEmulator;
  broker: AngelOneBroker;
  settings: AngelOneSettings;
  close(): Promise<void>;
}

/** An emulator and an adapter logged in to it (the emulator's ready JWT). */
export async function startAngelHarness(
  emuOptions: AngelEmulatorOptions = {},
  brokerOptions: Partial<Omit<AngelOneBrokerOptions, 'settings'>> & { settings?: Partial<AngelOneSettings> } = {},
): Promise<AngelHarness> {
  // SmartAPI's server-side limits are met by the adapter's limiter, which these tests switch off unless they test it.
  const emu = await startAngelEmulator({ limits: {}, ...emuOptions });
  const { settings: overrides, ...rest } = brokerOptions;
  const settings = AngelOneConfigSchema.parse({ api_url: emu.url, instruments_url: emu.masterUrl, timeout_ms: 2_000, ...overrides });
  const broker = new AngelOneBroker({
    settings,
    apiKey: emu.options.apiKey,
    jwt: 'emujwt0001',
    clock: new WallClock(),
    random: seededRandom(),
    rateLimit: false,
    readAttempts: 2,
    retryBaseMs: 20,
    ...rest,
  });
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
