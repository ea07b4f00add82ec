import { registerBroker } from '../registry.js';
import { SCHWAB_CAPABILITIES } from './capabilities.js';
import { parseSchwabSettings, schwabEnvOverrides } from './config.js';

registerBroker('schwab', {
  traits: SCHWAB_CAPABILITIES,
  // The adapter and its login are loaded when used (`ptexec config` reads only the settings).
  create: async (deps) => (await import('./factory.js')).createSchwabBroker(deps),
  login: async (section, env, clock) => (await import('./login.js')).schwabLogin(section, env, clock),
  settings: {
    path: 'brokers.schwab',
    resolve: (section, env) => {
      const parsed = parseSchwabSettings((section ?? {}) as Record<string, unknown>, env);
      if (parsed.error !== undefined) return { error: parsed.error, fix: 'see "Schwab" in the README' };
      return { settings: parsed.settings, fromEnv: schwabEnvOverrides(env).variables };
    },
  },
});
