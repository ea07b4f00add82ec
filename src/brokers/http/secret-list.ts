import { redact } from './redact.js';

/**
 * The session token of a broker client and every value that must never appear in an error it
 * raises (API secret, PIN, TOTP seed, earlier tokens): a new token stays a secret after it is replaced.
 */
export class SecretList {
  private current?: string;
  private readonly values: string[];

  constructor(secrets: readonly string[] = [], token?: string) {
    this.values = [...secrets];
    if (token) this.setToken(token);
  }

  get token(): string | undefined {
    return this.current;
  }

  setToken(token: string): void {
    this.current = token;
    this.values.push(token);
  }

  add(value: string): void {
    this.values.push(value);
  }

  /** `text` with every secret (and the `extra` values derived from them) masked. */
  scrub(text: string, extra: readonly (string | undefined)[] = []): string {
    return redact(text, [...this.values, ...extra]);
  }
}
