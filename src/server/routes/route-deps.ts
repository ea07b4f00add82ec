import type { z } from 'zod';
import type { Factory } from '../../app/factory.js';
import type { CommandResult } from '../../app/command-result.js';
import type { TokenService } from '../auth/token-service.js';
import type { ServerMetrics } from '../metrics.js';
import { httpProblem } from '../problem.js';
import { requestFactory, type FactoryBase } from '../request-factory.js';
import type { Reply, Route } from '../route.js';
import type { RunsInFlight } from '../runs-in-flight.js';

/** What the server's own routes are built with. */
export interface RouteDeps {
  base: FactoryBase;
  runs: RunsInFlight;
  tokens: TokenService;
  metrics: ServerMetrics;
  allowRequestCredentials: boolean;
  /** Every route the server answers (extensions' included): the OpenAPI document lists them. */
  extraRoutes: () => readonly Route[];
}

/** Runs `work` with a factory of this request's own, closed afterwards (its brokers; the database stays open). */
export async function withFactory<T>(deps: RouteDeps, requestId: string, work: (f: Factory) => Promise<T> | T): Promise<T> {
  const f = requestFactory(deps.base, { requestId });
  try {
    return await work(f);
  } finally {
    await f.close();
  }
}

/** A use case's result as an answer: its JSON, and the CLI's exit code when it is not 0. */
export function resultReply(result: CommandResult, status = 200): Reply {
  const json = result.json as Record<string, unknown>;
  return { status, json: result.exitCode === 0 ? json : { ...json, exit_code: result.exitCode } };
}

/** A JSON body that is an object (or empty: `{}`), else 400. */
export async function jsonObject(body: () => Promise<{ text: string }>): Promise<Record<string, unknown>> {
  const { text } = await body();
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw httpProblem('malformed-request', 400, `the body is not JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw httpProblem('malformed-request', 400, 'the body must be a JSON object');
  return value as Record<string, unknown>;
}

/** Validation errors of query or body fields as a 422 problem naming each field. */
export function invalidFields(issues: readonly { path: readonly PropertyKey[]; message: string }[], where: string) {
  const list = issues.map((i) => ({ field: i.path.map(String).join('.') || where, message: i.message }));
  return httpProblem('invalid-input', 422, `invalid ${where}: ${list.map((i) => `${i.field} ${i.message}`).join('; ')}`, { exit_code: 2, issues: list });
}

/** The query parameters, validated by the route's schema (422 naming the parameter). */
export function parseQuery<T extends z.ZodType>(schema: T, url: URL): z.output<T> {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw invalidFields(parsed.error.issues, 'query');
  return parsed.data;
}
