import { readFileSync } from 'node:fs';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import type { BrokerDeps } from '../registry.js';
import { parseFixSession } from './config.js';
import { FixBroker } from './fix-broker.js';
import { FixStore } from './fix-store.js';

/** Builds the adapter of one FIX session (`--broker fix:<session>`); its password is a credential, never config. */
export async function createFixBroker(deps: BrokerDeps): Promise<FixBroker> {
  const session = deps.instance;
  if (!session) throw new InvalidInputError('a FIX broker needs a session: --broker fix:<session>', 'name one of brokers.fix.sessions in config.json');
  const parsed = parseFixSession(deps.config, session, deps.env);
  if (parsed.error !== undefined) throw new InvalidInputError(parsed.error, `fix brokers.fix.sessions.${session} in config.json (see "FIX 4.4" in the README)`);
  const { settings } = parsed;
  let tlsCa: string | undefined;
  if (settings.tls?.enabled !== false && settings.tls?.ca_file) {
    try {
      tlsCa = readFileSync(settings.tls.ca_file, 'utf8');
    } catch (err) {
      throw new InvalidInputError(`brokers.fix.sessions.${session}.tls.ca_file: ${(err as Error).message}`, 'point ca_file at the counterparty CA certificate (PEM)');
    }
  }
  return new FixBroker({ session, settings, store: new FixStore(deps.tables, session), clock: deps.clock, password: deps.credentials?.values?.password, tlsCa });
}
