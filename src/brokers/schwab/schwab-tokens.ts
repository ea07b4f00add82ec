import type { Clock } from '../../domain/clock.js';
import type { SchwabTokenGrant } from './session.js';
import { SCHWAB_RENEW_MARGIN_MS } from './wire-facts.js';

/**
 * The access token of a running adapter. Schwab's lasts about 30 minutes, shorter than a day's
 * run: when the adapter holds the refresh token and the app's key and secret, it renews the token
 * itself a minute before it expires, and once more when Schwab answers 401 to a token it thought
 * good. Without them (a token given alone, as PTEXEC_SCHWAB_ACCESS_TOKEN), the 401 stands.
 * Renewals are shared: calls that need one at the same moment wait for the same renewal.
 */
export class SchwabTokens {
  private accessToken: string;
  private expiresAt?: number;
  private renewing?: Promise<void>;

  constructor(
    session: { accessToken: string; expiresAt?: number },
    private readonly clock: Clock,
    private readonly renew?: () => Promise<SchwabTokenGrant>,
    private readonly onToken?: (token: string) => void,
  ) {
    this.accessToken = session.accessToken;
    this.expiresAt = session.expiresAt;
  }

  /** A token to send now (renewed first when it is about to expire and it can be). */
  async current(): Promise<string> {
    if (this.renew && this.expiresAt !== undefined && this.expiresAt - SCHWAB_RENEW_MARGIN_MS <= this.clock.now()) await this.renewNow();
    return this.accessToken;
  }

  /** Schwab refused `refused`: renews the token unless another call already did; false when it cannot be renewed. */
  async afterRefusal(refused: string): Promise<boolean> {
    if (!this.renew) return false;
    if (refused === this.accessToken) await this.renewNow();
    return refused !== this.accessToken;
  }

  private renewNow(): Promise<void> {
    this.renewing ??= this.renew!()
      .then((grant) => {
        this.accessToken = grant.accessToken;
        this.expiresAt = grant.expiresAt;
        this.onToken?.(grant.accessToken);
      })
      .finally(() => {
        this.renewing = undefined;
      });
    return this.renewing;
  }
}
