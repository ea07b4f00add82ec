import type { Output } from '../../lib/output.js';
import type { BrokerSessions } from '../broker-session-service.js';

/** `ptexec brokers status`: one line per broker, then where the credentials file is. */
export function renderBrokerSessions(out: Output, sessions: BrokerSessions): void {
  out.table(
    [{ header: 'broker' }, { header: 'status' }, { header: 'user', priority: 2 }, { header: 'token from', priority: 1 }, { header: 'expires', truncate: true, minWidth: 10, priority: 3 }],
    sessions.brokers.map((r) => [
      r.broker,
      r.logged_in ? out.c.green('logged in') : r.expired ? out.c.yellow('expired') : 'not logged in',
      r.user_id ?? '-',
      r.token_source ?? '-',
      r.expires_at ?? (r.token_source === 'env' ? 'unknown (from environment)' : '-'),
    ]),
  );
  out.info(`credentials file: ${sessions.credentials_file}`);
}
