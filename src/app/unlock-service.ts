import { ConflictError } from '../domain/errors/conflict-error.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { ExitCode } from '../lib/exit-codes.js';
import { AccountLock, describeHolder, LOCK_TIMING } from '../store/account-lock.js';
import { currentActor } from '../store/risk-queries.js';
import type { CommandResult } from './command-result.js';
import type { Factory } from './factory.js';

/**
 * `ptexec unlock <broker:account|account>`: removes an account lock whose holder will not come
 * back, after saying who holds it and whether it looks alive, and asking (`--yes` skips the
 * question; without a terminal it is required). A live holder notices at its next heartbeat and
 * stops sending. Locks whose holder is gone are normally taken over without this command.
 */
export async function unlockAccount(f: Factory, ctx: { account: string; yes: boolean }): Promise<CommandResult> {
  const out = f.io;
  const store = f.store();
  const lock = new AccountLock(store);
  const all = lock.list();
  const matches = all.filter((l) => (ctx.account.includes(':') ? l.key === ctx.account : l.key.slice(l.key.indexOf(':') + 1) === ctx.account));
  if (matches.length === 0) {
    out.info(`${ctx.account} is not locked${all.length ? ` (locked: ${all.map((l) => l.key).join(', ')})` : ''}; nothing to do`);
    return { exitCode: ExitCode.ok, json: { unlocked: false, lock: null } };
  }
  if (matches.length > 1) throw new InvalidInputError(`${ctx.account} is locked on several brokers: ${matches.map((l) => l.key).join(', ')}`, `name one, e.g. \`ptexec unlock ${matches[0]!.key}\``);
  const held = matches[0]!;
  const silentFor = Math.max(0, Math.round((Date.now() - held.heartbeatAt) / 1000));
  out.info(`${held.key} is locked by ${describeHolder(held)}; last heartbeat ${silentFor} s ago`);
  if (held.state.alive) {
    out.warn(`its holder looks alive (a heartbeat within ${LOCK_TIMING.staleAfterMs / 1000} s): if it is running, it stops sending at its next heartbeat, and another run may trade ${held.key} at once`);
  } else {
    out.info(`its holder looks gone (${held.state.why}); the next run on ${held.key} would take the lock over by itself`);
  }
  if (!ctx.yes) {
    if (!out.interactive) throw new InvalidInputError(`refusing to remove the lock on ${held.key} without confirmation: there is no terminal to ask`, 'add --yes');
    if (!(await out.confirm(`Remove the lock on ${held.key}?`))) {
      out.info('nothing changed');
      return { exitCode: ExitCode.ok, json: { unlocked: false, lock: lockJson(held) } };
    }
  }
  if (!lock.remove(held.key, held)) throw new ConflictError(`the lock on ${held.key} changed hands meanwhile; nothing was removed`, `look again with \`ptexec unlock ${held.key}\``);
  const actor = currentActor('ptexec unlock');
  store.append({ runId: held.runId, type: 'run.alert', payload: { level: 'warn', source: 'cli', message: `account lock on ${held.key} removed by ${actor}` } });
  out.info(`removed the lock on ${held.key}; \`ptexec resume ${held.runId}\` continues that run if it is unfinished`);
  return { exitCode: ExitCode.ok, json: { unlocked: true, lock: lockJson(held) } };
}

function lockJson(held: ReturnType<AccountLock['list']>[number]) {
  return {
    key: held.key,
    run_id: held.runId,
    pid: held.pid,
    hostname: held.hostname,
    acquired_at: new Date(held.acquiredAt).toISOString(),
    heartbeat_at: new Date(held.heartbeatAt).toISOString(),
    alive: held.state.alive,
  };
}
