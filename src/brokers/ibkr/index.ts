import { registerBroker } from '../registry.js';
import { IBKR_CAPABILITIES } from './capabilities.js';
import { ibkrEnvOverrides, parseIbkrSettings } from './config.js';

registerBroker('ibkr', {
  traits: IBKR_CAPABILITIES,
  // The adapter and its login are loaded when used (`ptexec config` reads only the settings).
  create: async (deps) => (await import('./factory.js')).createIbkrBroker(deps),
  login: async (section, env, clock) => (await import('./login.js')).ibkrLogin(section, env, clock),
  settings: {
    path: 'brokers.ibkr',
    resolve: (section, env) => {
      const parsed = parseIbkrSettings((section ?? {}) as Record<string, unknown>, env);
      if (parsed.error !== undefined) return { error: parsed.error, fix: 'see "Interactive Brokers" in the README' };
      return { settings: parsed.settings, fromEnv: ibkrEnvOverrides(env).variables };
    },
  },
});
