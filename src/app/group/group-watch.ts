import { setTimeout as sleep } from 'node:timers/promises';
import type { StoredEvent } from '../../domain/events/index.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { ENDED_RUN } from '../../domain/run-status.js';
import { findRunState } from '../../store/queries.js';
import { currentActor, KillSwitch } from '../../store/risk-queries.js';
import type { Store } from '../../store/store.js';
import { readGroupEvents } from '../../ui/event-source.js';
import { AccountLock } from '../../store/account-lock.js';
import { formatMoney } from '../../domain/money.js';
import { formatBps, formatPercent, formatQuantity } from '../../ui/format.js';
import type { AccountAlias, GroupCurrencyView } from '../../ui/view-model/group-view-model.js';
import type { Factory } from '../factory.js';
import { configuredAccounts } from '../factory/configured-account.js';
import { eventJson, writeNdjson } from '../render/event-json.js';
import { requestControl } from '../run-control.js';
import { groupStartSeq, runsCreated, runsOfGroup } from './run-group.js';

const POLL_MS = 150;
const BATCH = 5000;

/** The group a `watch --group` argument names: a group id or a unique prefix of one (exit 2 otherwise, naming the fix). */
export function findGroup(store: Store, text: string): string {
  const groups = [...new Set(runsCreated(store).flatMap((e) => (e.payload.group ? [e.payload.group] : [])))];
  if (groups.includes(text)) return text;
  const matches = groups.filter((g) => g.startsWith(text));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new InvalidInputError(`--group ${text} matches ${matches.length} groups (${matches.join(', ')})`, 'give more of the group id');
  throw new InvalidInputError(`no group ${text}`, 'the GROUP column of `ptexec runs` names each run’s group');
}

/** The aliases config.json gives broker accounts (`accounts`); a watch without a usable config labels runs by account id. */
export async function accountAliases(f: Factory): Promise<AccountAlias> {
  const definitions = await configuredAccounts(f).catch(() => []);
  return (broker, account) => definitions.find((d) => d.broker === broker && (d.account ?? account) === account)?.alias;
}

/** The dashboard keys' actions on one run of the group (`watch --group --control`). */
export function groupControls(store: Store, actor: string) {
  const run = (runId: string) => {
    const row = findRunState(store, runId);
    if (!row) throw new InvalidInputError(`run ${runId} is not recorded`, 'list runs with `ptexec runs`');
    return row;
  };
  return (runId: string) => ({
    pause: (leg?: number) => requestControl(store, run(runId), 'pause', leg),
    resume: (leg?: number) => requestControl(store, run(runId), 'resume', leg),
    cancel: (leg?: number) => requestControl(store, run(runId), 'cancel', leg),
    halt: (reason: string) => new KillSwitch(store).halt(reason, true, currentActor(actor)),
    detach: () => undefined,
  });
}

/** A run's account as `watch --group --json` labels its events. */
export interface AccountLabel {
  alias: string;
  broker: string;
  account: string;
}

/**
 * `watch --group --json`: each event of the group's runs as `watch --json` prints it, with the
 * group and the account it belongs to (`account` null for the kill switch, which belongs to none).
 */
export function groupEventJson(e: StoredEvent, group: string, account: AccountLabel | undefined) {
  return { ...eventJson(e), group, account: account ? { alias: account.alias, broker: account.broker, account: account.account } : null };
}

/**
 * Reads the group's events in batches from its first run on, labelling each by its run's
 * account; with `following`, polls until every run of the group has reached a final status.
 */
export async function followGroup(store: Store, group: string, alias: AccountAlias, following: boolean, emit: (events: StoredEvent[], labelOf: (runId: string | null) => AccountLabel | undefined) => void): Promise<void> {
  const members = new Set<string>();
  const labels = new Map<string, AccountLabel>();
  const labelOf = (runId: string | null) => (runId === null ? undefined : labels.get(runId));
  let after = groupStartSeq(store, group);
  let over = false;
  for (;;) {
    const read = readGroupEvents(store, group, members, after, BATCH);
    for (const e of read.events) if (e.type === 'run.created') labels.set(e.runId!, { alias: alias(e.payload.broker, e.payload.account) ?? e.payload.account, broker: e.payload.broker, account: e.payload.account });
    if (read.events.length) emit(read.events, labelOf);
    after = read.lastSeq;
    if (read.full) continue;
    if (!following || over) return;
    // Once every run has ended, one more read takes what they recorded last.
    over = groupOver(store, members);
    if (!over) await sleep(POLL_MS);
  }
}

/**
 * Every run of the group has reached a final status (or is a dry run), and no live process holds
 * a lock of its runs: the process that ran the group keeps its accounts' locks until its failover
 * rounds are over, and a failover adds its runs after the run it takes over has ended.
 */
function groupOver(store: Store, members: ReadonlySet<string>): boolean {
  if (!members.size) return false;
  for (const runId of members) {
    const run = findRunState(store, runId);
    if (run && !ENDED_RUN.has(run.status) && run.dry_run !== 1) return false;
  }
  return !new AccountLock(store).list().some((lock) => members.has(lock.runId) && lock.state.alive);
}

/** `watch --group` on a terminal: the group's dashboard (read-only unless `control`). */
export async function groupDashboard(f: Factory, store: Store, group: string, control: boolean): Promise<void> {
  const [{ runDashboard, GroupPollingEventSource }, calendar, alias] = await Promise.all([import('../../ui/run-dashboard.js'), import('../../market/calendar/index.js'), accountAliases(f)]);
  await runDashboard({
    source: new GroupPollingEventSource(store, group, { intervalMs: POLL_MS, batch: BATCH, afterSeq: groupStartSeq(store, group) }),
    ...f.io.screen,
    group: { id: group, alias, controlsFor: control ? groupControls(store, 'ptexec watch') : undefined },
    color: f.io.color,
    readOnly: !control,
    calendar: { tradingDate: calendar.tradingDate, addBusinessDays: calendar.addBusinessDays, sessionState: calendar.sessionState },
  });
  if (!groupOver(store, new Set(runsOfGroup(store, group).map((r) => r.runId)))) f.io.info(`left the dashboard; group ${group} carries on. \`ptexec watch --group ${group}\` attaches again.`);
}

/**
 * `watch --group` on a terminal that cannot draw the dashboard (TERM=dumb): each run's progress
 * lines, led by its account's alias, followed to the end; then the group per currency.
 */
export async function groupProgressLines(f: Factory, store: Store, group: string): Promise<void> {
  const [{ ProgressLines }, { GroupViewModel }] = await Promise.all([import('../../ui/progress-lines.js'), import('../../ui/view-model/group-view-model.js')]);
  const alias = await accountAliases(f);
  const model = new GroupViewModel({ group, alias });
  const lines = new Map<string, InstanceType<typeof ProgressLines>>();
  const of = (key: string, label: string) => {
    let l = lines.get(key);
    if (!l) lines.set(key, (l = new ProgressLines({ write: (line) => f.io.info(`${label.padEnd(8)} ${line}`) })));
    return l;
  };
  await followGroup(store, group, alias, true, (events, labelOf) => {
    model.applyAll(events);
    for (const e of events) of(e.runId ?? '', labelOf(e.runId)?.alias ?? 'group').apply([e]);
  });
  for (const t of model.snapshot(f.wallNow()).totals) f.io.info(consolidatedLine(group, t));
}

/** `Σ INR group g…: 2 accounts, 2 runs; filled 1,920/1,920 (100%), traded ₹…, slippage +2.2 bps, charges ₹…`. */
function consolidatedLine(group: string, t: GroupCurrencyView): string {
  const money = (minor: number) => formatMoney(minor, t.currency);
  return `Σ ${t.currency} group ${group}: ${t.accounts} account${t.accounts === 1 ? '' : 's'}, ${t.runs} run${t.runs === 1 ? '' : 's'}; filled ${formatQuantity(t.filledQuantity)}/${formatQuantity(t.orderedQuantity)} (${formatPercent(t.fillRate)}), traded ${money(t.tradedValue)}, slippage ${formatBps(t.slippageBps)} bps, shortfall ${formatBps(t.shortfallBps)} bps (${money(t.shortfall)}), charges ${money(t.charges)}`;
}

/** `watch --group --json` (or without a terminal): the group's events as NDJSON, each labelled by its account. */
export async function groupNdjson(f: Factory, store: Store, group: string, following: boolean): Promise<void> {
  f.io.endOnClosedPipe();
  await followGroup(store, group, await accountAliases(f), following, (events, labelOf) => {
    writeNdjson(events, (text) => f.io.text(text), (e) => groupEventJson(e, group, labelOf(e.runId)));
  });
}
