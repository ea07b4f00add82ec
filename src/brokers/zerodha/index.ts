import { registerBroker } from '../registry.js';
import { parseZerodhaSettings, zerodhaEnvOverrides } from './config.js';
import { createZerodhaBroker } from './factory.js';
import { zerodhaLogin } from './login.js';
import { ZERODHA_CAPABILITIES } from './zerodha-broker.js';

registerBroker('zerodha', {
  traits: ZERODHA_CAPABILITIES,
  create: createZerodhaBroker,
  login: zerodhaLogin,
  settings: {
    path: 'brokers.zerodha',
    resolve: (section, env) => {
      const parsed = parseZerodhaSettings((section ?? {}) as Record<string, unknown>, env);
      if (parsed.error !== undefined) return { error: parsed.error, fix: 'see "Zerodha" in the README' };
      return { settings: parsed.settings, fromEnv: zerodhaEnvOverrides(env).variables };
    },
  },
});
