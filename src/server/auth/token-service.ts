import { randomBytes } from 'node:crypto';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { sha256Hex } from '../../market/hash.js';
import { apiTokenByHash, insertApiToken, listApiTokens, revokeApiToken, type ApiTokenRow } from '../../store/api-token-queries.js';
import type { Store } from '../../store/store.js';
import { isScope, SCOPES, type Scope } from './scopes.js';

/** A token as the API and `serve token list` show it: never the secret, never its hash. */
export interface ApiToken {
  id: string;
  name: string | null;
  scopes: Scope[];
  createdAt: number;
  revokedAt: number | null;
}

const PREFIX = 'ptx';

/**
 * Bearer tokens: `ptx_<id>_<secret>`, the secret 32 random bytes. Only a SHA-256 of the whole
 * token is stored. A slow password hash (bcrypt, scrypt) protects low-entropy secrets people
 * choose from guessing; 256 random bits cannot be guessed, so one fast hash suffices and each
 * request is checked in microseconds. The id is public: it names the token in lists, logs and
 * revocations.
 */
export class TokenService {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new token; the only time its secret is seen. */
  create(scopes: string[], name?: string): { token: string; info: ApiToken } {
    const wanted = [...new Set(scopes.map((s) => s.trim().toLowerCase()).filter(Boolean))];
    const unknown = wanted.filter((s) => !isScope(s));
    if (!wanted.length || unknown.length) {
      throw new InvalidInputError(unknown.length ? `unknown scope ${unknown.join(', ')}` : 'a token needs at least one scope', `use --scope with some of ${SCOPES.join(', ')}, e.g. --scope read,trade`);
    }
    const id = randomBytes(6).toString('hex');
    const token = `${PREFIX}_${id}_${randomBytes(32).toString('base64url')}`;
    const row = { id, name: name?.trim() || null, scopes: wanted.join(' '), created_at: this.now(), revoked_at: null };
    insertApiToken(this.store, { ...row, token_hash: sha256Hex(token) });
    return { token, info: tokenInfo(row) };
  }

  list(): ApiToken[] {
    return listApiTokens(this.store).map(tokenInfo);
  }

  revoke(id: string): ApiToken {
    if (!revokeApiToken(this.store, id, this.now())) throw new InvalidInputError(`no token ${id}`, 'list the tokens with `ptexec serve token list`');
    return this.list().find((t) => t.id === id)!;
  }

  /** The token a bearer value is, when it is one of ours (revoked ones included: the caller says why it is refused). */
  find(bearer: string): ApiToken | undefined {
    if (!bearer.startsWith(`${PREFIX}_`) || bearer.length > 200) return undefined;
    const row = apiTokenByHash(this.store, sha256Hex(bearer));
    return row ? tokenInfo(row) : undefined;
  }
}

function tokenInfo(row: ApiTokenRow): ApiToken {
  return { id: row.id, name: row.name, scopes: row.scopes.split(' ').filter(isScope), createdAt: row.created_at, revokedAt: row.revoked_at };
}

export function tokenJson(t: ApiToken) {
  return { id: t.id, name: t.name, scopes: t.scopes, created_at: new Date(t.createdAt).toISOString(), revoked_at: t.revokedAt === null ? null : new Date(t.revokedAt).toISOString() };
}
