import { registerBroker } from '../registry.js';
import { ANGELONE_CAPABILITIES } from './capabilities.js';
import { angelOneEnvOverrides, parseAngelOneSettings } from './config.js';

registerBroker('angelone', {
  traits: ANGELONE_CAPABILITIES,
  // The adapter and its login are loaded when used (`ptexec config` reads only the settings).
  create: async (deps) => (await import('./factory.js')).createAngelOneBroker(deps),
  login: async (section, env, clock) => (await import('./login.js')).angelOneLogin(section, env, clock),
  instrumentFile: {
    label: "Angel One's scrip master (OpenAPIScripMaster.json)",
    recognises: (head) => /^\s*\[/.test(head) && head.includes('"exch_seg"') && head.includes('"symbol"'),
    reader: async () => {
      const { readScripMaster } = await import('./instruments.js');
      return (text) => {
        const { instruments, records } = readScripMaster(text);
        return { instruments: [...instruments.values()], records };
      };
    },
  },
  settings: {
    path: 'brokers.angelone',
    resolve: (section, env) => {
      const parsed = parseAngelOneSettings((section ?? {}) as Record<string, unknown>, env);
      if (parsed.error !== undefined) return { error: parsed.error, fix: 'see "Angel One" in the README' };
      return { settings: parsed.settings, fromEnv: angelOneEnvOverrides(env).variables };
    },
  },
});
