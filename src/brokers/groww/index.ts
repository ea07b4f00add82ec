import { registerBroker } from '../registry.js';
import { GROWW_CAPABILITIES } from './capabilities.js';
import { growwEnvOverrides, parseGrowwSettings } from './config.js';

registerBroker('groww', {
  traits: GROWW_CAPABILITIES,
  // The adapter and its login are loaded when used (`ptexec config` reads only the settings).
  create: async (deps) => (await import('./factory.js')).createGrowwBroker(deps),
  login: async (section, env, clock) => (await import('./login.js')).growwLogin(section, env, clock),
  instrumentFile: {
    label: "Groww's instrument CSV (instrument.csv)",
    recognises: (head) => /^[^\n]*\bgroww_symbol\b/.test(head),
    reader: async () => {
      const { readGrowwInstruments } = await import('./groww-instruments.js');
      return (text) => {
        const { instruments, records } = readGrowwInstruments(text);
        return { instruments: [...instruments.values()], records };
      };
    },
  },
  settings: {
    path: 'brokers.groww',
    resolve: (section, env) => {
      const parsed = parseGrowwSettings((section ?? {}) as Record<string, unknown>, env);
      if (parsed.error !== undefined) return { error: parsed.error, fix: 'see "Groww" in the README' };
      return { settings: parsed.settings, fromEnv: growwEnvOverrides(env).variables };
    },
  },
});
