import type { IncomingMessage, ServerResponse } from 'node:http';
import { FilterError, filterFromQuery, startAfter, type EventFilter } from './event-filter.js';
import type { EventStream } from './event-stream.js';
import { badStreamRequest, sendProblem, streamFull } from './problem.js';
import type { EventFrame } from './event-frame.js';

export const SSE_PATH = '/v1/events';


/**
 * Server-Sent Events at `GET /v1/events`: returns false for any other path (the caller routes it).
 * Each event is a frame with `id:` its seq and `event:` its type; `Last-Event-ID` or `since=` resume
 * after a seq, `account=`, `run=`, `type=` filter.
 */
export function handleEventStreamRequest(req: IncomingMessage, res: ServerResponse, stream: EventStream): boolean {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname !== SSE_PATH) return false;
  if (req.method !== 'GET') {
    sendProblem(res, 405, { type: 'about:blank', title: 'Method not allowed', status: 405, detail: `${SSE_PATH} is read with GET` }, { allow: 'GET' });
    return true;
  }
  void streamEvents(req, res, stream).catch(() => res.destroy());
  return true;
}

/**
 * Answers a request for the event stream on `res` (for a router that has matched `GET
 * /v1/events` itself): resolves, once the answer has started, with its status — 200 and the
 * stream, or a problem document.
 */
export async function streamEvents(req: IncomingMessage, res: ServerResponse, stream: EventStream): Promise<number> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const auth = await stream.deps.authorize(req);
  if (!auth.ok) return refuse(res, auth.status, auth.problem);
  let filter: EventFilter;
  let after: number | undefined;
  try {
    filter = filterFromQuery(url.searchParams);
    after = startAfter(url.searchParams.get('since'), req.headers['last-event-id']);
  } catch (err) {
    if (err instanceof FilterError) return refuse(res, 400, badStreamRequest(err.message));
    throw err;
  }
  if (res.destroyed || req.socket.destroyed) return 499;
  const { retryMs, dropGraceMs } = stream.feed.limits;
  const subscription = stream.feed.subscribe(filter, after, {
    transport: 'sse',
    write: (frames: readonly EventFrame[]) => res.write(frames.length === 1 ? frames[0]!.sse : Buffer.concat(frames.map((f) => f.sse))),
    heartbeat: () => void res.write(`: heartbeat ${new Date().toISOString()}\n\n`),
    drop: (reason) => {
      res.end(`: dropped: ${reason}\n\n`);
      setTimeout(() => res.destroy(), dropGraceMs).unref();
    },
  });
  if (!subscription) return refuse(res, 503, streamFull(), { 'retry-after': '5' });
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  res.write(`retry: ${retryMs}\n: after seq ${subscription.lastSent}\n\n`);
  res.on('drain', () => subscription.writable());
  res.on('close', () => subscription.close());
  return 200;
}

function refuse(res: ServerResponse, status: number, body: Record<string, unknown>, headers?: Record<string, string>): number {
  sendProblem(res, status, body, headers);
  return status;
}
