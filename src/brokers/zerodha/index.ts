import { registerBroker } from '../registry.js';
import { parseZerodhaSettings, zerodhaEnvOverrides } from './config.js';
import { ZERODHA_CAPABILITIES } from './capabilities.js';

registerBroker('zerodha', {
  traits: ZERODHA_CAPABILITIES,
  // The adapter and its login are loaded when used (`ptexec config` reads only the settings).
  create: async (deps) => (await import('./factory.js')).createZerodhaBroker(deps),
  login: async (section, env, clock) => (await import('./login.js')).zerodhaLogin(section, env, clock),
  settings: {
    path: 'brokers.zerodha',
    resolve: (section, env) => {
      const parsed = parseZerodhaSettings((section ?? {}) as Record<string, unknown>, env);
      if (parsed.error !== undefined) return { error: parsed.error, fix: 'see "Zerodha" in the README' };
      return { settings: parsed.settings, fromEnv: zerodhaEnvOverrides(env).variables };
    },
  },
});
