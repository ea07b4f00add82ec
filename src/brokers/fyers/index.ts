import { registerBroker } from '../registry.js';
import { FYERS_CAPABILITIES } from './capabilities.js';
import { fyersEnvOverrides, parseFyersSettings } from './config.js';

registerBroker('fyers', {
  traits: FYERS_CAPABILITIES,
  // The adapter and its login are loaded when used (`ptexec config` reads only the settings).
  create: async (deps) => (await import('./factory.js')).createFyersBroker(deps),
  login: async (section, env, clock) => (await import('./login.js')).fyersLogin(section, env, clock),
  settings: {
    path: 'brokers.fyers',
    resolve: (section, env) => {
      const parsed = parseFyersSettings((section ?? {}) as Record<string, unknown>, env);
      if (parsed.error !== undefined) return { error: parsed.error, fix: 'see "Fyers" in the README' };
      return { settings: parsed.settings, fromEnv: fyersEnvOverrides(env).variables };
    },
  },
});
