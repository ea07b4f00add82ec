import { registerBroker } from '../registry.js';
import { FYERS_CAPABILITIES } from './capabilities.js';
import { fyersEnvOverrides, parseFyersSettings } from './config.js';

registerBroker('fyers', {
  traits: FYERS_CAPABILITIES,
  // The adapter and its login are loaded when used (`ptexec config` reads only the settings).
  create: async (deps) => (await import('./factory.js')).createFyersBroker(deps),
  login: async (section, env, clock) => (await import('./login.js')).fyersLogin(section, env, clock),
  instrumentFile: {
    label: "Fyers' symbol master (NSE_CM.csv, BSE_CM.csv)",
    // No header row: a numeric Fytoken first, the ticker ("NSE:SBIN-EQ") tenth.
    recognises: (head) => /^\d+,(?:[^,\n]*,){8}(?:NSE|BSE|MCX):/.test(head),
    reader: async () => {
      const { parseSymbolMaster } = await import('./symbols.js');
      return (text) => {
        const { byKey, records } = parseSymbolMaster([text]);
        return { instruments: [...byKey.values()], records };
      };
    },
  },
  settings: {
    path: 'brokers.fyers',
    resolve: (section, env) => {
      const parsed = parseFyersSettings((section ?? {}) as Record<string, unknown>, env);
      if (parsed.error !== undefined) return { error: parsed.error, fix: 'see "Fyers" in the README' };
      return { settings: parsed.settings, fromEnv: fyersEnvOverrides(env).variables };
    },
  },
});
