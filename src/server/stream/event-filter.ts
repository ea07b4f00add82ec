import { EVENT_TYPES, recordedTypeOf, type StoredEvent } from '../../domain/events/index.js';
import { splitCsvLine } from '../../market/csv.js';

/**
 * Which events a subscriber wants: any of its accounts, any of its runs, any of its types (an
 * exact type, or a prefix such as `order.*`). A criterion left out takes everything; an event of
 * no account passes no account criterion.
 */
export interface EventFilter {
  accounts?: ReadonlySet<string>;
  runs?: ReadonlySet<string>;
  types?: { exact: ReadonlySet<string>; prefixes: readonly string[] };
}

/** What a client asked for, as lists (query string values or a subscribe message's fields). */
export interface FilterRequest {
  account?: readonly string[];
  run?: readonly string[];
  type?: readonly string[];
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);
const KNOWN_PREFIXES: ReadonlySet<string> = new Set(EVENT_TYPES.map((t) => t.slice(0, t.indexOf('.'))));

export class FilterError extends Error {}

/** The filter a request names; a type this version does not record is refused, so a typo is not a silent stream of nothing. */
export function parseFilter(request: FilterRequest): EventFilter {
  const filter: EventFilter = {};
  const accounts = splitAll(request.account);
  const runs = splitAll(request.run);
  const types = splitAll(request.type);
  if (accounts.length) filter.accounts = new Set(accounts);
  if (runs.length) filter.runs = new Set(runs);
  if (types.length && !types.includes('*')) {
    const exact = new Set<string>();
    const prefixes: string[] = [];
    for (const t of types) {
      if (t.endsWith('.*') && KNOWN_PREFIXES.has(t.slice(0, -2))) prefixes.push(t.slice(0, -1));
      else if (KNOWN_TYPES.has(t)) exact.add(t);
      else throw new FilterError(`unknown event type "${t}": use one of ${[...KNOWN_PREFIXES].map((p) => `${p}.*`).join(', ')} or an exact type such as order.created`);
    }
    filter.types = { exact, prefixes };
  }
  return filter;
}

/** A filter from a query string: `account`, `run` and `type`, each repeated or comma-separated. */
export function filterFromQuery(params: URLSearchParams): EventFilter {
  return parseFilter({ account: params.getAll('account'), run: params.getAll('run'), type: params.getAll('type') });
}

/** The seq to start after: `Last-Event-ID` (what an SSE client sends when it reconnects) wins over `since`. */
export function startAfter(since: string | null | undefined, lastEventId?: string | string[]): number | undefined {
  const header = Array.isArray(lastEventId) ? lastEventId[0] : lastEventId;
  const text = header?.trim() || since?.trim();
  if (text === undefined || text === '') return undefined;
  if (!/^\d{1,15}$/.test(text)) throw new FilterError(`since "${text}" is not a sequence number: give the seq of the last event you have (0 for the whole log)`);
  return Number(text);
}

export function matches(filter: EventFilter, e: StoredEvent, account: () => string | null): boolean {
  if (filter.runs && !(e.runId !== null && filter.runs.has(e.runId))) return false;
  if (filter.types) {
    const type = recordedTypeOf(e);
    if (!filter.types.exact.has(type) && !filter.types.prefixes.some((p) => type.startsWith(p))) return false;
  }
  if (filter.accounts) {
    const a = account();
    if (a === null || !filter.accounts.has(a)) return false;
  }
  return true;
}

/** The filter as the client is told it was understood. */
export function describeFilter(filter: EventFilter): { account: string[]; run: string[]; type: string[] } {
  return {
    account: [...(filter.accounts ?? [])],
    run: [...(filter.runs ?? [])],
    type: filter.types ? [...filter.types.exact, ...filter.types.prefixes.map((p) => `${p}*`)] : [],
  };
}

function splitAll(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => splitCsvLine(String(v))).map((v) => v.trim()).filter(Boolean);
}
