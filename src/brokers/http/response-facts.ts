import type { HttpResponse } from './http-client.js';

/** The answer's media type without parameters, for messages that say what came back instead of the API's JSON. */
export function contentType(res: HttpResponse): string {
  return String(res.headers['content-type'] ?? 'no content type').split(';')[0]!.trim();
}

/** The wait a `Retry-After` header (in seconds) asks for, in ms; undefined when absent or not a positive number. */
export function retryAfterMs(res: HttpResponse): number | undefined {
  const seconds = Number(res.headers['retry-after']);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}
