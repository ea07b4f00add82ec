import { SchwabBroker, type SchwabBrokerOptions } from '../../src/brokers/schwab/schwab-broker.js';
import { SchwabConfigSchema, type SchwabSettings, schwabUrlsAt } from '../../src/brokers/schwab/config.js';
import { WallClock } from '../../src/engine/clock/index.js';
import { SCHWAB_EMULATOR_KEYS, type SchwabEmulator, type SchwabEmulatorOptions, startSchwabEmulator } from '../emulators/schwab/index.js';
import { seededRandom } from '../zerodha/harness.js';

export interface SchwabHarness {
  emu: SchwabEmulator;
  broker: SchwabBroker;
  settings: SchwabSettings;
  /** Another adapter on the same emulator (a resumed process). */
  open(options?: Partial<Omit<SchwabBrokerOptions, 'settings'>> & { settings?: Partial<SchwabSettings> }): SchwabBroker;
  close(): Promise<void>;
}

/** The settings that point the adapter at an emulator. */
export function emulatorSettings(emu: SchwabEmulator, overrides: Partial<SchwabSettings> = {}): SchwabSettings {
  return SchwabConfigSchema.parse({ ...schwabUrlsAt(emu.url), redirect_uri: SCHWAB_EMULATOR_KEYS.redirectUri, timeout_ms: 500, poll_ms: 100, ...overrides });
}

export async function startSchwabHarness(
  emuOptions: SchwabEmulatorOptions = {},
  brokerOptions: Partial<Omit<SchwabBrokerOptions, 'settings'>> & { settings?: Partial<SchwabSettings> } = {},
): Promise<SchwabHarness> {
  const emu = await startSchwabEmulator({ cash: 10_000_000, holdings: [], ...emuOptions });
  const opened: SchwabBroker[] = [];
  const open: SchwabHarness['open'] = (options = {}) => {
    const { settings, ...rest } = { ...brokerOptions, ...options, settings: { ...brokerOptions.settings, ...options.settings } };
    const broker = new SchwabBroker({
      settings: emulatorSettings(emu, settings),
      accessToken: SCHWAB_EMULATOR_KEYS.accessToken,
      clock: new WallClock(),
      random: seededRandom(),
      rateLimit: false,
      retryBaseMs: 5,
      ...rest,
    });
    opened.push(broker);
    return broker;
  };
  const broker = open();
  return {
    emu,
    broker,
    settings: emulatorSettings(emu, brokerOptions.settings),
    open,
    async close() {
      for (const b of opened) await b.close();
      await emu.close();
    },
  };
}
