import type { CommandResult } from '../app/command-result.js';
import type { Factory } from '../app/factory.js';
import { ExitCode } from '../lib/exit-codes.js';
import { tokenJson, TokenService } from './auth/token-service.js';

/** `ptexec serve token create`: the token on stdout, once; it is never shown again. */
export function createToken(f: Factory, flags: { scope: string; name?: string }): CommandResult {
  const { token, info } = new TokenService(f.store(), f.wallNow).create(flags.scope.split(/[\s,]+/), flags.name);
  if (!f.io.jsonMode) {
    f.io.data(token);
    f.io.info(`token ${info.id}${info.name ? ` (${info.name})` : ''} with scopes ${info.scopes.join(', ')}: keep it now, it is not shown again`);
  }
  return { exitCode: ExitCode.ok, json: { ...tokenJson(info), token } };
}

/** `ptexec serve token list`: every token, revoked ones too; never a secret. */
export function listTokens(f: Factory): CommandResult {
  const tokens = new TokenService(f.store(), f.wallNow).list();
  if (!f.io.jsonMode) {
    if (!tokens.length) f.io.info('no tokens; create one with `ptexec serve token create --scope read`');
    else f.io.table([{ header: 'id' }, { header: 'name' }, { header: 'scopes' }, { header: 'created' }, { header: 'revoked' }], tokens.map((t) => { const j = tokenJson(t); return [j.id, j.name ?? '', j.scopes.join(','), j.created_at, j.revoked_at ?? '']; }));
  }
  return { exitCode: ExitCode.ok, json: { tokens: tokens.map(tokenJson) } };
}

/** `ptexec serve token revoke <id>`: the token is refused (401) from the next request on. */
export function revokeToken(f: Factory, id: string): CommandResult {
  const token = new TokenService(f.store(), f.wallNow).revoke(id);
  f.io.info(`token ${token.id} revoked`);
  return { exitCode: ExitCode.ok, json: tokenJson(token) };
}
