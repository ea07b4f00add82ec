import { UpstoxBroker, type UpstoxBrokerOptions } from '../../src/brokers/upstox/upstox-broker.js';
import { UpstoxConfigSchema, type UpstoxSettings } from '../../src/brokers/upstox/config.js';
import { WallClock } from '../../src/engine/clock/index.js';
import { type UpstoxEmulator, type UpstoxEmulatorOptions, startUpstoxEmulator } from '../emulators/upstox/index.js';
import { seededRandom } from '../zerodha/harness.js';

export interface UpstoxHarness {
  emu: UpstoxEmulator;
  broker: UpstoxBroker;
  close(): Promise<void>;
}

/** The settings that point the adapter at an emulator. */
export function emulatorSettings(emu: UpstoxEmulator, overrides: Partial<UpstoxSettings> = {}): UpstoxSettings {
  return UpstoxConfigSchema.parse({ api_url: emu.url, order_url: emu.url, ws_url: emu.wsUrl, login_url: emu.loginUrl, instruments_url: emu.instrumentsUrl, redirect_uri: emu.redirectUri, timeout_ms: 2_000, ...overrides });
}

export async function startUpstoxHarness(
  emuOptions: UpstoxEmulatorOptions = {},
  brokerOptions: Partial<Omit<UpstoxBrokerOptions, 'settings'>> & { settings?: Partial<UpstoxSettings> } = {},
): Promise<UpstoxHarness> {
  const emu = await startUpstoxEmulator(emuOptions);
  const { settings, ...rest } = brokerOptions;
  const broker = new UpstoxBroker({
    settings: emulatorSettings(emu, settings),
    accessToken: 'upstox-emu-token-0001',
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
