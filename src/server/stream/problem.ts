import type { ServerResponse } from 'node:http';

/** An RFC 9457 problem document. */
export function problem(status: number, title: string, detail: string): Record<string, unknown> {
  return { type: 'about:blank', title, status, detail };
}

export function sendProblem(res: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The refusal of a stream that cannot start: bad filter, or no room. */
export const badStreamRequest = (detail: string) => problem(400, 'Invalid stream request', detail);
export const streamFull = () => problem(503, 'Too many stream subscribers', 'the server has as many stream subscribers as it allows: try again later');
