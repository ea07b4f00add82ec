import { registerBroker } from '../registry.js';
import { UPSTOX_CAPABILITIES } from './capabilities.js';
import { parseUpstoxSettings, upstoxEnvOverrides } from './config.js';

registerBroker('upstox', {
  traits: UPSTOX_CAPABILITIES,
  // The adapter and its login are loaded when used (`ptexec config` reads only the settings).
  create: async (deps) => (await import('./factory.js')).createUpstoxBroker(deps),
  login: async (section, env, clock) => (await import('./login.js')).upstoxLogin(section, env, clock),
  instrumentFile: {
    label: "Upstox's instrument master (complete.json.gz, NSE.json.gz, BSE.json.gz)",
    recognises: (head) => /^\s*\[/.test(head) && head.includes('"instrument_key"') && head.includes('"segment"'),
    reader: async () => {
      const { parseUpstoxInstruments } = await import('./instruments.js');
      return (text) => {
        const { bySymbol, records } = parseUpstoxInstruments(text);
        return { instruments: [...bySymbol.values()], records };
      };
    },
  },
  settings: {
    path: 'brokers.upstox',
    resolve: (section, env) => {
      const parsed = parseUpstoxSettings((section ?? {}) as Record<string, unknown>, env);
      if (parsed.error !== undefined) return { error: parsed.error, fix: 'see "Upstox" in the README' };
      return { settings: parsed.settings, fromEnv: upstoxEnvOverrides(env).variables };
    },
  },
});
