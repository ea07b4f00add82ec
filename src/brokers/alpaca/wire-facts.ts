import type { OrderStatus } from '../../domain/order.js';

/**
 * Alpaca's Trading API v2 wire, in one place, with where each fact was confirmed. Facts marked
 * `unverified` could not be confirmed from Alpaca's documentation or its official SDKs
 * (`@alpacahq/alpaca-trade-api` 4.0.2, `alpaca-py`); correct them here.
 *
 * Confirmed from the SDK sources (trading client, request models, enums, stream):
 * - headers `APCA-API-KEY-ID` and `APCA-API-SECRET-KEY` on every call; JSON bodies; numbers of
 *   money and quantity travel as strings (`qty`, `limit_price`, `filled_avg_price`, `cash`, …);
 * - `POST /v2/orders` {symbol, qty, side, type, time_in_force, limit_price, stop_price,
 *   client_order_id, extended_hours, order_class, take_profit, stop_loss, trail_price,
 *   trail_percent}; `GET /v2/orders?status=open|closed|all&limit&after&until&direction&nested`;
 *   `GET /v2/orders/{id}`; `GET /v2/orders:by_client_order_id?client_order_id=`;
 *   `PATCH /v2/orders/{id}` {qty, time_in_force, limit_price, stop_price, trail, client_order_id}
 *   answering a NEW order (new id, `replaces` = the old id; the old one becomes `replaced`);
 *   `DELETE /v2/orders/{id}` (204; 422 when no longer cancelable); `GET /v2/positions`;
 *   `GET /v2/account`; `GET /v2/assets/{symbol}`; `GET /v2/account/activities/FILL`;
 * - order statuses (alpaca-py `OrderStatus`, listed in `ALPACA_STATUSES`) and stream events
 *   (alpaca-py `TradeEvent`: accepted, canceled, expired, fill, new, partial_fill,
 *   pending_cancel, pending_new, pending_replace, rejected, replaced, restated);
 * - the stream: `wss://paper-api.alpaca.markets/stream` (live: `wss://api.alpaca.markets/stream`),
 *   `{"action":"authenticate","data":{"key_id","secret_key"}}` → `{"stream":"authorization",
 *   "data":{"status":"authorized","action":"authenticate"}}`, then `{"action":"listen","data":
 *   {"streams":["trade_updates"]}}` → `{"stream":"listening",…}`, then `{"stream":"trade_updates",
 *   "data":{"event","order","timestamp","price","qty","position_qty","execution_id"}}`;
 * - about 200 requests per minute per account (the SDK's default limiter: 200 per 60 s), HTTP
 *   429 beyond it, `X-RateLimit-Limit/Remaining/Reset` headers;
 * - quotes from the market-data API on its own host: `GET /v2/stocks/quotes/latest?symbols=A,B`
 *   → `{"quotes":{"A":{"ap","bp","as","bs","t"}}}`.
 *
 * - bracket and OCO orders (SDK `buildBracketOrder` / `buildOcoOrder`, `OrderClass`): `order_class`
 *   "bracket" with a market or limit entry (`limit_price` for a limit entry), `take_profit:
 *   {limit_price}` and `stop_loss: {stop_price[, limit_price]}`; "oco" is sent as `type: "limit"`
 *   with the same two objects and no top-level `limit_price` (the take-profit's is its limit);
 *   an OCO attaches to an existing position (no entry). Orders carry `legs` (nested orders) and
 *   `GET /v2/orders` takes `nested=true` to roll legs up under their parent; `held` is a status.
 * - trailing stops (SDK `buildTrailingStopOrder`, the order model's `hwm`, `trail_percent`,
 *   `trail_price`): `type: "trailing_stop"` with exactly one of `trail_price` (dollars from the
 *   water mark) and `trail_percent` (percent of it); `stop_price` on the order is the current stop.
 *
 * unverified (coded as written, easy to change):
 * - linked orders: that Alpaca gives the legs client ids of its own (ptexec never relies on them:
 *   a leg is known by the parent it is nested under and by its type, limit = take-profit); that
 *   the legs stay `held` until the entry has filled in full; that a cancelled entry takes its held
 *   legs, and a cancelled or filled leg its sibling; that a partial fill of one leg shrinks the
 *   other; that the stream's parent rows carry their `legs`; that `GET /v2/orders/{id}` takes
 *   `nested=true` too; linked orders take `time_in_force` day or gtc only; Alpaca's wording of its
 *   refusals, but for "take_profit.limit_price must be >= base_price + 0.01" and
 *   "stop_loss.stop_price must be <= base_price - 0.01" (42210000, quoted in Alpaca's forum
 *   threads), where the base price is the entry's limit, else the last trade;
 * - that a leg of a bracket or OCO can be replaced: ptexec refuses to (cancel the group instead);
 * - trailing stops: day or gtc only and never a leg of a bracket/OCO (Alpaca's blog says trailing
 *   stops are single orders); the water mark starting at the last trade, the stop rounded to the
 *   cent away from the market, and the stop's moves not being stream events (the emulator's
 *   choices); Alpaca's wording of its trail refusals;
 * - error codes other than 40010001 (invalid/duplicate request, 422) and 40310000 (insufficient
 *   buying power, 403): 40110000 (401 unauthorized), 40410000 (404), 42910000 (429) are the
 *   shape Alpaca uses in its documentation examples; the HTTP status carries the meaning;
 * - the longest `client_order_id` (128 characters per Alpaca's order docs, not enforced by the SDK);
 * - that a replacement's `qty` is what is still to fill (the replaced order keeps its own fills),
 *   and that the replacement's fills are reported on the replacement's id;
 * - that the stream's frames are binary (the emulator sends them so; the adapter reads either);
 * - that the stream also accepts the binary (msgpack) frames the SDK can ask for: ptexec asks for JSON;
 * - FILL activities' `id` (`<time>::<uuid>`) is unique per execution and the stream's
 *   `execution_id` names the same execution (ptexec uses the activity id when reading the book
 *   and the execution id on the stream, and de-duplicates on the execution id inside both).
 */
export const ALPACA_URLS = {
  /** Alpaca's environments, the paper-trading one first (the default). */
  environments: {
    paper: { trading: 'https://paper-api.alpaca.markets', stream: 'wss://paper-api.alpaca.markets/stream' },
    live: { trading: 'https://api.alpaca.markets', stream: 'wss://api.alpaca.markets/stream' },
  },
  data: 'https://data.alpaca.markets',
} as const;

export type AlpacaEnvironment = keyof typeof ALPACA_URLS.environments;
export const ALPACA_ENVIRONMENTS = Object.keys(ALPACA_URLS.environments) as [AlpacaEnvironment, ...AlpacaEnvironment[]];

/**
 * Alpaca counts every trading-API call of an account against 200 per minute. ptexec splits that
 * budget between order writes (at most 3 a second, 60 a minute) and reads (140 a minute), so the
 * two together never pass 200; the split and the per-second pace are ptexec's, not Alpaca's.
 * Market data has its own 200 a minute (unverified: the free plan's figure).
 */
export const ALPACA_LIMITS = {
  orders: [
    { limit: 3, windowMs: 1_000 },
    { limit: 60, windowMs: 60_000 },
  ],
  api: [{ limit: 140, windowMs: 60_000 }],
  data: [{ limit: 200, windowMs: 60_000 }],
} as const;

export type AlpacaEndpointClass = keyof typeof ALPACA_LIMITS;

/** Alpaca's error codes ptexec tells apart (the body is `{"code": n, "message": "…"}`). */
export const ALPACA_CODES = {
  invalid: 40010001,
  unauthorized: 40110000,
  insufficientBuyingPower: 40310000,
  notFound: 40410000,
  unprocessable: 42210000,
  rateLimited: 42910000,
} as const;

/** `client_order_id`: at most 128 characters (unverified); ptexec's ids are letters, digits, `-` and `_`. */
export const ALPACA_CLIENT_ORDER_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Every order status alpaca-py's `OrderStatus` lists (Alpaca's "Order Lifecycle" page), with ours.
 * `done_for_day` (no more fills today, may resume tomorrow), `stopped` (guaranteed a price, not
 * yet filled), `suspended`, `calculated` (filled, settlement being computed), `held` (a bracket's
 * waiting leg), `pending_review`, `accepted_for_bidding`: the order still stands (`accepted`),
 * or has filled where Alpaca says so (`calculated`). A live order with fills reads as
 * `partially_filled` (see `mapAlpacaStatus`). `replaced` ends this order: its replacement is a
 * new order (the PATCH answer) that carries the rest.
 */
export const ALPACA_STATUSES: Readonly<Record<string, OrderStatus>> = {
  new: 'accepted',
  partially_filled: 'partially_filled',
  filled: 'filled',
  done_for_day: 'accepted',
  canceled: 'cancelled',
  expired: 'expired',
  replaced: 'cancelled',
  pending_cancel: 'pending_cancel',
  pending_replace: 'pending_replace',
  pending_review: 'accepted',
  accepted: 'accepted',
  pending_new: 'accepted',
  accepted_for_bidding: 'accepted',
  stopped: 'accepted',
  rejected: 'rejected',
  suspended: 'accepted',
  calculated: 'filled',
  held: 'accepted',
};
