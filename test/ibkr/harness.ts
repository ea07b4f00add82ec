import { IbkrBroker, type IbkrBrokerOptions } from '../../src/brokers/ibkr/ibkr-broker.js';
import { type IbkrSettings, parseIbkrSettings } from '../../src/brokers/ibkr/config.js';
import { WallClock } from '../../src/engine/clock/index.js';
import { type IbkrEmulator, type IbkrEmulatorOptions, startIbkrEmulator } from '../emulators/ibkr/index.js';
import { seededRandom } from '../zerodha/harness.js';

export interface IbkrHarness {
  emu: IbkrEmulator;
  broker: IbkrBroker;
  close(): Promise<void>;
}

/** The settings that point the adapter at an emulated gateway. */
export function ibkrSettings(emu: Pick<IbkrEmulator, 'url' | 'wsUrl'>, overrides: Record<string, unknown> = {}): IbkrSettings {
  const parsed = parseIbkrSettings({ api_url: emu.url, ws_url: emu.wsUrl, timeout_ms: 2_000, snapshot_retry_ms: 0, reauth_wait_ms: 20, ...overrides }, {});
  if (parsed.error !== undefined) throw new Error(parsed.error);
  return parsed.settings;
}

export async function startIbkrHarness(
  emuOptions: IbkrEmulatorOptions = {},
  brokerOptions: Partial<Omit<IbkrBrokerOptions, 'settings'>> & { settings?: Record<string, unknown> } = {},
): Promise<IbkrHarness> {
  const emu = await startIbkrEmulator({ perSecond: null, ...emuOptions });
  const { settings, ...rest } = brokerOptions;
  const broker = new IbkrBroker({ settings: ibkrSettings(emu, settings), clock: new WallClock(), random: seededRandom(), rateLimit: false, reconnect: { baseMs: 20, maxMs: 100 }, ...rest });
  return {
    emu,
    broker,
    async close() {
      await broker.close();
      await emu.close();
    },
  };
}
