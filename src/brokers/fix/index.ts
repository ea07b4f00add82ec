import { registerBroker } from '../registry.js';
import { FIX_TRAITS } from './capabilities.js';
import { type FixSessionSettings, parseFixSession } from './config.js';

/** The sessions `brokers.fix.sessions` names (invalid ones included: opening one reports why); read without loading the schema. */
function fixSessionNames(section: Record<string, unknown>): string[] {
  const sessions = section.sessions;
  return sessions && typeof sessions === 'object' ? Object.keys(sessions) : [];
}

/** FIX 4.4 as a generic broker: `--broker fix:<session>`, one registration for every session in `brokers.fix.sessions`. */
registerBroker('fix', {
  traits: FIX_TRAITS,
  // The session layer and adapter are loaded when a session is opened.
  create: async (deps) => (await import('./factory.js')).createFixBroker(deps),
  instances: fixSessionNames,
  credentialFields: ['password'],
  settings: {
    path: 'brokers.fix',
    resolve: (section, env) => {
      const written = (section ?? {}) as Record<string, unknown>;
      const sessions: Record<string, FixSessionSettings> = {};
      for (const name of fixSessionNames(written)) {
        const parsed = parseFixSession(written, name, env);
        if (parsed.error !== undefined) return { error: parsed.error, fix: 'see "FIX 4.4" in the README' };
        sessions[name] = parsed.settings;
      }
      return { settings: { sessions } };
    },
  },
});
