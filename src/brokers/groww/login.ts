import type { Clock } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import type { BrokerLogin } from '../registry.js';
import { loadGrowwSettings } from './factory.js';
import { createGrowwSession, unattendedProof } from './session.js';

/**
 * The Groww login: an API key and its proof for `POST /v1/token/api/access` — a stored TOTP
 * secret (unattended, so an expired session renews itself), else the API secret (the key must
 * be approved for the day on Groww's API keys page), else the current TOTP code, asked for. A
 * token generated on Groww's Trading APIs page can instead be given as PTEXEC_GROWW_ACCESS_TOKEN.
 */
export function growwLogin(section: Record<string, unknown>, env: NodeJS.ProcessEnv, clock: Clock): BrokerLogin {
  const settings = loadGrowwSettings(section, env);
  return {
    labels: { broker: 'Groww', keysWhere: "Groww's API keys page (groww.in/trade-api/api-keys)" },
    fields: [
      { name: 'api_key', label: 'Trading API key', secret: true },
      { name: 'totp_secret', label: 'TOTP secret of the API key', secret: true, optional: true },
      { name: 'api_secret', label: 'API secret', secret: true, optional: true },
    ],
    async logIn(values, conversation) {
      let proof = unattendedProof(values, clock.now());
      if (!proof) {
        const code = (await conversation.ask('Current TOTP code of the Groww API key: ', true)).trim();
        if (!/^\d{6}$/.test(code)) throw new BrokerError('input', 'expected the 6-digit TOTP code of the Groww API key', 'groww', { code: 'totp' });
        proof = { kind: 'totp', code };
      }
      return createGrowwSession(settings, values.api_key!, proof, clock);
    },
    async renew(values) {
      const proof = unattendedProof(values, clock.now());
      if (!values.api_key || !proof) {
        throw new BrokerError('auth', 'the Groww session expired and cannot be renewed without a person: no TOTP secret or API secret is stored', 'groww', {
          code: 'expired',
          hint: 'run `ptexec brokers login groww`, or store the key\'s TOTP secret (PTEXEC_GROWW_TOTP_SECRET) so ptexec can renew the session itself',
        });
      }
      return createGrowwSession(settings, values.api_key, proof, clock);
    },
    // Groww has no logout call: the token is forgotten here, and revoked on Groww's page if need be.
    async deleteSession() {
      throw new BrokerError('unavailable', "Groww has no API to revoke a token: it stops working at 06:00 IST, or revoke it now on Groww's Trading APIs page", 'groww', { code: 'no_logout' });
    },
  };
}
