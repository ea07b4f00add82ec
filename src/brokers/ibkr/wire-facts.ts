import type { OrderStatus } from '../../domain/order.js';

/**
 * Interactive Brokers' Client Portal Web API (through the Client Portal Gateway), in one place,
 * with where each fact was confirmed. IBKR publishes no official Node SDK for this API (only the
 * gateway and the documentation), so there is no SDK to check the wire against. Facts marked
 * `unverified` could not be confirmed from IBKR's documentation; correct them here.
 *
 * Confirmed from IBKR's Web API documentation (the "Web API Trading" guide and its reference):
 * - the gateway answers on `https://localhost:5000/v1/api` with a self-signed certificate; the
 *   user logs in with a browser on the gateway's own page (username, password, 2FA);
 * - `/iserver/auth/status` (authenticated, competing, connected), `/iserver/reauthenticate`,
 *   `/tickle` (keeps the session; its answer carries `session`, the WebSocket cookie), `/logout`;
 *   the brokerage (`/iserver`) session resets nightly at about 01:00 US/Eastern;
 * - accounts: `GET /iserver/accounts` (`accounts`, `selectedAccount`), `GET /portfolio/accounts`;
 * - conids: `GET /trsrv/stocks?symbols=A,B` → `{SYMBOL: [{name, assetClass, contracts: [{conid, exchange, isUS}]}]}`;
 *   conids are persistent for the life of an instrument (IBKR recommends storing them);
 * - placement `POST /iserver/account/{acct}/orders` `{"orders":[{conid, orderType, side, price,
 *   quantity, tif, cOID, …}]}` → `[{order_id, order_status, encrypt_message}]`, or an order reply
 *   message `[{id, message: [text], isSuppressed, messageIds: ["o163"]}]` answered with
 *   `POST /iserver/reply/{id}` `{"confirmed": true}` (false discards the order);
 * - modify `POST /iserver/account/{acct}/order/{orderId}` with the whole order object (not an
 *   array), every field as placed except the ones changed; cancel `DELETE …/order/{orderId}` →
 *   `{msg: "Request was submitted", order_id, conid, account}` (a request, not the cancellation);
 * - orders `GET /iserver/account/orders` → `{orders: [{orderId, order_ref, status,
 *   order_ccp_status, filledQuantity, remainingQuantity, totalSize, avgPrice, side, …}], snapshot}`;
 *   the endpoint "requires a pre-flight request";
 * - trades `GET /iserver/account/trades[?days=N]` (N ≤ 7) → `[{execution_id, order_ref, side B|S,
 *   size, price (string), trade_time_r, conid, …}]`;
 * - positions `GET /portfolio/{acct}/positions/0` (conid, position, avgCost, mktPrice, ticker,
 *   listingExchange, currency); cash `GET /portfolio/{acct}/ledger` (`USD.cashbalance`,
 *   `settledcash`, …); `/portfolio/accounts` must be called before other `/portfolio` endpoints;
 * - quotes `GET /iserver/marketdata/snapshot?conids=&fields=` needs a pre-flight request: the
 *   first answer for a conid carries no fields; 31 = last, 84 = bid, 86 = ask;
 * - pacing: the gateway allows 10 requests a second in all, answers 429 beyond, and per endpoint
 *   `/iserver/account/orders` and `/iserver/account/trades` 1 per 5 s, `/portfolio/accounts`
 *   1 per 5 s, `/tickle` 1 per second, `/iserver/marketdata/snapshot` 10 per second;
 * - the WebSocket `wss://localhost:5000/v1/api/ws`: `sor+{}` subscribes to live order updates
 *   (`{"topic":"sor","args":[order rows]}`), `str+{}` to trades; the server sends heartbeats.
 *
 * Confirmed from IBKR's samples rather than its prose: `order_ref` in the order book and the
 * trades carries the `cOID` the order was placed with (the documentation's order and trade
 * samples show the same `order_ref`, and a widely used client's recorded gateway answers do).
 *
 * unverified (coded as written, easy to change):
 * - that a pre-flight `/iserver/account/orders` answers `{"orders": [], "snapshot": false}`;
 * - the WebSocket cookie `api={"session":"<tickle session>"}` (what clients send; IBKR's guide
 *   names the cookie but the exact shape comes from client code);
 * - an unauthenticated `/iserver` call answers HTTP 401; a refused placement answers
 *   `{"error": "…"}`; a duplicate cOID is refused with "Local order ID=… is already registered"
 *   (the words a widely used client, ibind, looks for; IBKR documents a cOID as unique per day);
 * - the `text` field of an order row carries the reason of a rejection;
 * - snapshot fields 7762 (volume, unformatted) and 7741 (prior close);
 * - the length and characters IBKR accepts in a `cOID` (40 letters, digits, `-`, `_`, `.` here);
 * - for STP the stop travels as `price`, for STOP_LIMIT the stop as `auxPrice` (IBKR's reference
 *   names them so; not checked against a live gateway), and the book shows a stop as `auxPrice`;
 * - `listingExchange: "SMART"` routes SMART (IBKR's own bracket example sends it);
 * - message ids of the default reply lists other than o163 (IBKR's example) come from a widely
 *   used client's table of IBKR's suppressible messages.
 *
 * The emulator (test/emulators/ibkr) enforces the gateway's 10/s; the per-endpoint 1 per 5 s of
 * the books is kept by the adapter only.
 */
export const IBKR_URLS = {
  api: 'https://localhost:5000/v1/api',
  ws: 'wss://localhost:5000/v1/api/ws',
} as const;

/** The gateway's published pacing: all calls share 10/s; the order and trade books 1 per 5 s. */
export const IBKR_LIMITS = {
  gateway: [{ limit: 10, windowMs: 1_000 }],
  tickle: [{ limit: 1, windowMs: 1_000 }],
} as const;

/** How often the order and trade books may be read (one read per 5 s); the WebSocket keeps them current between reads. */
export const IBKR_BOOK_READ_INTERVAL_MS = 5_000;

export type IbkrEndpointClass = keyof typeof IBKR_LIMITS;

/** Our client order id as `cOID`. unverified: IBKR publishes no length or charset for it. */
export const IBKR_COID = /^[A-Za-z0-9_.-]{1,40}$/;

/**
 * Every order status word IBKR documents (order book `status`, and `order_ccp_status`), with ours.
 * PendingSubmit/ApiPending: sent, not yet acknowledged by the destination. PreSubmitted: accepted
 * and held by IBKR (a simulated type, or outside hours). Submitted: working at the destination (a
 * live order with fills is `partially_filled`: see `mapIbkrStatus`). Inactive: received but no
 * longer active because it was rejected (or never transmitted). ApiCancelled: cancelled before
 * it was acknowledged. WarnState: working with a warning.
 */
export const IBKR_STATUSES: Readonly<Record<string, OrderStatus>> = {
  PendingSubmit: 'pending_submit',
  ApiPending: 'pending_submit',
  PreSubmitted: 'accepted',
  Submitted: 'accepted',
  WarnState: 'accepted',
  PendingCancel: 'pending_cancel',
  Filled: 'filled',
  Cancelled: 'cancelled',
  ApiCancelled: 'cancelled',
  Inactive: 'rejected',
};

/**
 * Order reply messages (by `messageIds`) ptexec confirms by default: general risk notices that
 * every order of a type draws (market orders, stop orders, IBKR's price cap), which ptexec sends
 * deliberately. Everything else — the user's own precautionary settings (price percentage, size,
 * value limits), missing market data, orders that would trigger at once — is refused with IBKR's
 * message, and so is any id not listed. `brokers.ibkr.order_replies` changes both lists.
 */
export const IBKR_REPLY_DEFAULTS = {
  confirm: ['o10151', 'o10152', 'o10153', 'o10331'],
  refuse: ['o163', 'o354', 'o382', 'o383', 'o403', 'o451', 'o10138', 'p6', 'p12'],
} as const;

/** At most this many reply messages are answered for one order (IBKR may ask several in turn). */
export const IBKR_MAX_REPLIES = 6;

/** Snapshot fields: last, bid, ask, volume, prior close. */
export const IBKR_SNAPSHOT_FIELDS = ['31', '84', '86', '7762', '7741'] as const;
