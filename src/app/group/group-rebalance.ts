import type { AccountDefinition, AccountSelection } from '../../domain/accounts.js';
import { BlockedError } from '../../domain/errors/blocked-error.js';
import { ConflictError } from '../../domain/errors/conflict-error.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { deriveRunId, hashContent } from '../../engine/identity.js';
import { refuseWhileHalted } from '../../engine/risk/halted.js';
import { ExitCode } from '../../lib/exit-codes.js';
import type { CommandResult } from '../command-result.js';
import type { Factory } from '../factory.js';
import { DEFAULT_MAX_INPUT_BYTES, readInput } from '../read-input.js';
import type { RebalanceFlags } from '../rebalance-input.js';
import { checkedPlanJson } from '../render/run-result.js';
import { existingRunError, lockedError, runState } from '../run-conflicts.js';
import { getRun } from '../../store/queries.js';
import { runsOfGroup } from './run-group.js';
import { tradingDateFor } from '../trading-date.js';
import { splitAccountTargets, type AccountTargetText } from './account-target-file.js';
import { DEFAULT_OUTAGE_SECONDS, type FailoverContext } from './failover.js';
import { GroupDisplay } from './group-display.js';
import { executeGroup, type GroupRun } from './group-execute.js';
import { checkGroup, groupTotals } from './group-check.js';
import { accountForRouting, accountRequest, consolidatedParts, perAccountParts, type AccountPart, type GroupInput, type GroupParts, type GroupRouting } from './group-parts.js';
import { groupTotalsJson, renderGroupPlan, unroutedJson, type GroupPlanView } from './group-view.js';
import { openAccount, selectedAccounts, type OpenAccount } from './open-account.js';

/** The flags of `ptexec rebalance` with the accounts it works on. */
export type GroupRebalanceFlags = RebalanceFlags;

/** Flags of a single run that a group of runs cannot honour, each with what to do instead. */
const SINGLE_RUN_FLAGS: [keyof GroupRebalanceFlags, string][] = [
  ['run-id', 'each account\'s run is named from the group; leave --run-id out'],
  ['at', 'start the group at the time you want (ptexec schedule), or rebalance one account with --account'],
  ['wait-lock', 'wait for the other run to finish, or rebalance one account with --account'],
  ['broker', 'the accounts name their brokers (config.json "accounts"); leave --broker out'],
];

/**
 * `ptexec rebalance <target> --accounts all|a,b`: one target over several accounts. A
 * consolidated target is planned on the group as one account and each leg routed to accounts;
 * a per-account target (an `account` on every line) gives each account its lines. Each account
 * then has ONE ORDINARY RUN of its own — its own plan, pre-trade checks, account lock and events
 * — tied together by the group id its `run.created` records, plus the group's own limits. The
 * runs execute together in this process; the exit code is the worst of theirs.
 */
export async function executeGroupRebalance(f: Factory, input: { file: string; flags: GroupRebalanceFlags }, selection: AccountSelection, routing: () => Promise<GroupRouting>): Promise<CommandResult> {
  const { flags } = input;
  for (const [flag, hint] of SINGLE_RUN_FLAGS) if (flags[flag] !== undefined) throw new InvalidInputError(`--${flag} cannot be used with --accounts`, hint);
  const definitions = await selectedAccounts(f, selection);
  const config = await f.config();
  const read = await readInput(input.file, { maxBytes: config.input?.max_bytes ?? DEFAULT_MAX_INPUT_BYTES, stdin: () => f.io.stdin });
  const split = splitAccountTargets(read.text, read.source, definitions.map((d) => d.alias));
  const dryRun = flags['dry-run'] ?? false;
  const killSwitch = f.killSwitch();
  if (!dryRun) refuseWhileHalted(killSwitch, 'nothing was sent');
  else if (killSwitch.isHalted().halted) f.io.warn('trading is halted: this plan cannot be sent until `ptexec unhalt`');
  const interrupt = f.io.interruptOnSignals();
  const display = new GroupDisplay(f, { noUi: flags['no-ui'] ?? false });
  const opened: OpenAccount[] = [];
  try {
    // Every selected account is opened, those without lines too: a failover may move legs to them.
    const brokerDownAfterMs = flags.failover === false ? undefined : (config.failover?.outage_seconds ?? DEFAULT_OUTAGE_SECONDS) * 1000;
    for (const d of definitions) opened.push(await openAccount(f, d, { speed: flags.speed, seed: flags.seed, riskFile: flags.risk, interrupt, onEvents: display.onEvents, brokerDownAfterMs }));
    const groupId = groupIdFor(read.text, definitions, f.wallNow(), flags['new-run']);
    refuseGroupAgain(f, groupId, definitions, input.file);
    const groupInput = { groupId, text: read.text, source: read.source, flags };
    const parts = split ? await perAccountParts(f, groupInput, opened, split) : await consolidatedParts(f, groupInput, opened, await routing());
    const runs = await planAll(f, parts.parts, input.file);
    const view = await planView(f, { groupId, mode: split ? 'per-account' : 'consolidated', dryRun }, runs, parts, flags.risk, opened.length);
    if (!f.io.jsonMode) renderGroupPlan(f.io, view);
    const json = (status: string, reason: string | null) => groupPlanJson(view, runs, status, reason);
    const blockedWhy = whyBlocked(view, runs);
    if (dryRun) return { exitCode: blockedWhy && !flags['allow-partial'] ? ExitCode.blocked : ExitCode.ok, json: json(blockedWhy ? 'blocked' : 'planned', blockedWhy) };
    if (blockedWhy && (view.reasons.length || runs.some((r) => r.checked.refusal) || (view.unrouted.length && !flags['allow-partial']))) {
      throw new BlockedError(`${blockedWhy}; nothing was sent`, view.reasons.length ? 'raise the limit in the risk configuration or trade less' : 'fix the blocked legs, or send the others with --allow-partial', { result: json('blocked', blockedWhy) });
    }
    if (!(await confirmedGroup(f, runs, flags.yes))) {
      f.io.info('nothing was sent');
      return { exitCode: ExitCode.ok, json: json('declined', 'not confirmed at the prompt; nothing was sent') };
    }
    const failover = flags.failover === false ? undefined : failoverContext(f, groupInput, opened, split, routing);
    return await display.around((worked) => executeGroup(f, { groupId, view, runs, interrupt, failover, worked }), { store: f.store(), group: groupId, stop: interrupt.abort });
  } finally {
    for (const o of opened) o.service.release();
    interrupt.dispose();
  }
}

/** How a failover makes its runs: the group's accounts and router, and each account's request made as the group's first runs were. */
function failoverContext(f: Factory, input: GroupInput, accounts: readonly OpenAccount[], split: readonly AccountTargetText[] | undefined, routing: () => Promise<GroupRouting>): FailoverContext {
  return {
    groupId: input.groupId,
    accounts,
    routing,
    // A per-account file's own lines of the account that went down carry the flags' meaning for any account.
    request: (open, part) => accountRequest(f, open, split ? { ...input, ...split.find((s) => s.alias === part.from.definition.alias)! } : input, part),
    forRouting: (open, state) => accountForRouting(f, open, state, input.flags.risk),
  };
}

/**
 * The same target over the same accounts already ran today (exit 6), as one account's run is
 * refused: each account's lines are planned from its holdings as they are now, so its own run
 * would not recognise a second, after the first traded. `--new-run` plans the group again.
 */
function refuseGroupAgain(f: Factory, groupId: string, definitions: readonly AccountDefinition[], file: string): void {
  const earlier = runsOfGroup(f.store(), groupId);
  if (!earlier.length) return;
  const aliasOf = (account: string) => definitions.find((d) => d.account === account)?.alias ?? account;
  const states = earlier.map((r) => {
    const run = getRun(f.store(), r.runId);
    return `run ${r.runId} on ${aliasOf(r.account)}: ${run ? runState(f.store(), run) : 'recorded'}`;
  });
  throw new ConflictError(`group ${groupId} already ran this target over ${definitions.map((d) => d.alias).join(', ')} today (${states.join('; ')}); nothing was sent`, `see its runs with \`ptexec runs\`, resume an unfinished one with \`ptexec resume <run>\`, or plan the group again from the current holdings with \`ptexec rebalance ${file} --accounts … --new-run\``);
}

/** The group's id: the same target over the same accounts on the same day is the same group (`--new-run`: a new one). */
export function groupIdFor(text: string, definitions: readonly AccountDefinition[], now: number, newRun?: boolean): string {
  const id = deriveRunId({ targetHash: hashContent(text), broker: 'group', account: definitions.map((d) => d.alias).join(','), tradingDate: tradingDateFor('INR', now), nonce: newRun ? String(now) : undefined });
  return `g${id.slice(0, 9)}`;
}

/** Each account's part planned and checked on its own broker, in order (each takes its account's lock). */
async function planAll(f: Factory, parts: readonly AccountPart[], file: string): Promise<GroupRun[]> {
  const runs: GroupRun[] = [];
  for (const part of parts) {
    const { service, broker } = part.open;
    const planned = await part.open.driven.drive(service.plan(part.request));
    if (planned.kind === 'existing') throw existingRunError(f.store(), planned.runId, `${broker.id} account ${broker.account}`, file);
    if (planned.kind === 'locked') throw lockedError(f.store(), service.lockKey, planned.holder, planned.runId);
    if (planned.kind === 'resume') {
      throw new ConflictError(`run ${planned.runId} of this group on ${part.open.definition.alias} is unfinished (${planned.status}); nothing was sent`, `continue it with \`ptexec resume ${planned.runId}\`, or plan again with --new-run`);
    }
    runs.push({ open: part.open, checked: planned });
  }
  return runs;
}

async function planView(f: Factory, view: Pick<GroupPlanView, 'groupId' | 'mode' | 'dryRun'>, runs: readonly GroupRun[], parts: GroupParts, riskFile: string | undefined, selected: number): Promise<GroupPlanView> {
  const totals = groupTotals(runs.map((r) => r.checked.plan));
  // A consolidated group is every selected account, those the router gave no leg too: its value is the consolidated plan's.
  const group = parts.consolidated;
  for (const t of totals) if (group && t.currency === group.currency) Object.assign(t, { value: group.accountValue, accounts: selected });
  const risk = await f.risk(riskFile);
  return {
    ...view,
    accounts: runs.map((r) => ({ alias: r.open.definition.alias, broker: { id: r.open.broker.id, account: r.open.broker.account }, checked: r.checked })),
    unrouted: parts.unrouted,
    totals,
    reasons: checkGroup(totals, risk.config),
    skipped: parts.consolidated?.skipped ?? [],
    notes: parts.consolidated?.notes ?? [],
  };
}

/** What stops the group, as one line: accounts' blocked legs or runs, and the group's own limits. */
function whyBlocked(view: GroupPlanView, runs: readonly GroupRun[]): string | null {
  const accounts = runs.filter((r) => r.checked.blockedWhy).map((r) => `${r.open.definition.alias}: ${r.checked.blockedWhy}`);
  const group = view.reasons.map((r) => `group: ${r.message}`);
  const unrouted = view.unrouted.length ? [`${view.unrouted.length} leg${view.unrouted.length === 1 ? '' : 's'} no account could take (${view.unrouted.map((u) => u.symbol).join(', ')})`] : [];
  const all = [...accounts, ...group, ...unrouted];
  return all.length ? all.join('; ') : null;
}

/** The group's plan as `--json` prints it (README "Rebalancing several accounts"). */
export function groupPlanJson(view: GroupPlanView, runs: readonly GroupRun[], status: string, reason: string | null) {
  return {
    group: view.groupId,
    mode: view.mode,
    dry_run: view.dryRun,
    status,
    reason,
    accounts: runs.map((r) => ({ alias: r.open.definition.alias, routes: r.checked.request.group?.routes ?? [], ...checkedPlanJson(r.checked, r.open.broker, r.checked.refusal ? 'blocked' : status, r.checked.blockedWhy) })),
    unrouted: unroutedJson(view.unrouted),
    group_checks: view.reasons.map((r) => ({ rule: r.rule, currency: r.currency ?? null, message: r.message })),
    totals: groupTotalsJson(view.totals),
  };
}

/**
 * One confirmation for the whole group, naming every account. Without a terminal a group of
 * simulated accounts without warnings proceeds; real money needs `--yes` (exit 2 otherwise).
 */
async function confirmedGroup(f: Factory, runs: readonly GroupRun[], yes: boolean): Promise<boolean> {
  const legs = runs.reduce((s, r) => s + r.checked.legs.length, 0);
  if (legs === 0 || yes) return true;
  const warnings = runs.some((r) => r.checked.warnings);
  const where = runs.filter((r) => r.checked.legs.length).map((r) => `${r.open.definition.alias} (${r.open.broker.id} ${r.open.broker.account})`).join(', ');
  if (f.io.interactive) return f.io.confirm(`Send ${legs} order${legs === 1 ? '' : 's'} to ${where}${warnings ? ' despite the warnings above' : ''}?`);
  if (runs.every((r) => r.open.broker.capabilities.simulatedMarket) && !warnings) return true;
  const why = warnings ? 'the pre-trade checks raised warnings' : 'some of these are real orders';
  throw new InvalidInputError(`refusing to send without confirmation: ${why} and there is no terminal to ask`, 'add --yes to confirm, or --dry-run to only plan');
}

