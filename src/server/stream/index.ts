export { createEventStream, type EventStream } from './event-stream.js';
export { handleEventStreamRequest, SSE_PATH, streamEvents } from './sse.js';
export { attachWebSocketStream, webSocketUpgrade, WS_PATH } from './websocket.js';
export { storeEventSource } from './store-source.js';
export { EventAccounts } from './event-account.js';
export { DEFAULT_STREAM_LIMITS, type Authorization, type StreamDeps, type StreamLimits, type StreamSource, type StreamTimers, type Transport } from './stream-deps.js';
