import { eventJson } from '../../app/render/event-json.js';
import { recordedTypeOf, type StoredEvent } from '../../domain/events/index.js';

/**
 * One event as the stream sends it, serialised once however many subscribers receive it: the
 * object `watch --json` prints (schemas/stream-event.json), as a WebSocket message or an SSE frame.
 */
export class EventFrame {
  private text?: string;
  private bytes?: Buffer;
  private sseBytes?: Buffer;

  constructor(readonly event: StoredEvent) {}

  get seq(): number {
    return this.event.seq;
  }

  get json(): string {
    return (this.text ??= JSON.stringify(eventJson(this.event)));
  }

  /** The WebSocket message, encoded once for every subscriber. */
  get message(): Buffer {
    return (this.bytes ??= Buffer.from(this.json));
  }

  /** `id` is the seq, so a reconnecting EventSource resumes with it as `Last-Event-ID`. */
  get sse(): Buffer {
    return (this.sseBytes ??= Buffer.from(`id: ${this.event.seq}\nevent: ${recordedTypeOf(this.event)}\ndata: ${this.json}\n\n`));
  }
}
