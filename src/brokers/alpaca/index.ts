import { registerBroker } from '../registry.js';
import { ALPACA_CAPABILITIES } from './capabilities.js';
import { alpacaEnvOverrides, parseAlpacaSettings } from './config.js';

registerBroker('alpaca', {
  traits: ALPACA_CAPABILITIES,
  // The adapter and its login are loaded when used (`ptexec config` reads only the settings).
  create: async (deps) => (await import('./factory.js')).createAlpacaBroker(deps),
  login: async (section, env, clock) => (await import('./login.js')).alpacaLogin(section, env, clock),
  settings: {
    path: 'brokers.alpaca',
    resolve: (section, env) => {
      const parsed = parseAlpacaSettings((section ?? {}) as Record<string, unknown>, env);
      if (parsed.error !== undefined) return { error: parsed.error, fix: 'see "Alpaca" in the README' };
      return { settings: parsed.settings, fromEnv: alpacaEnvOverrides(env).variables };
    },
  },
});
