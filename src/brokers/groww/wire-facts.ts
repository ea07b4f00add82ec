/**
 * Groww Trading API wire facts, in one place so a correction is one edit. Confirmed against
 * Groww's published documentation (groww.in/trade-api/docs, cURL and Python SDK pages:
 * introduction, orders, portfolio, margin, instruments, live data, user, annexures,
 * exceptions). The official Python SDK (`growwapi`) is documented there but its package source
 * could not be read; facts only the SDK would show are marked `unverified`.
 */

export const GROWW_API_URL = 'https://api.groww.in';
/** The instrument master, a public CSV (no session needed). */
export const GROWW_INSTRUMENTS_URL = 'https://growwapi-assets.groww.in/instruments/instrument.csv';

/** Every call carries `Authorization: Bearer <access token>`, `Accept: application/json` and this version header. */
export const GROWW_API_VERSION = '1.0';

/** `order_reference_id`: 8 to 20 letters, digits and at most two hyphens (the place-order schema). */
export const GROWW_REFERENCE_ID = /^(?=.{8,20}$)[A-Za-z0-9]+(?:-[A-Za-z0-9]*){0,2}$/;

/**
 * Published limits per type, shared by every API of the type (introduction, "Rate Limits").
 * Orders: create, modify, cancel. Live data: quote, LTP, OHLC. Non-trading: order status,
 * order list, trade list, positions, holdings, margin (and, unverified, the user profile).
 */
export const GROWW_LIMITS = {
  orders: [
    { limit: 10, windowMs: 1_000 },
    { limit: 250, windowMs: 60_000 },
  ],
  live_data: [
    { limit: 10, windowMs: 1_000 },
    { limit: 300, windowMs: 60_000 },
  ],
  non_trading: [
    { limit: 20, windowMs: 1_000 },
    { limit: 500, windowMs: 60_000 },
  ],
} as const;

export type GrowwEndpointClass = keyof typeof GROWW_LIMITS | 'session';

/**
 * Error codes of the `{"status":"FAILURE","error":{code,message,metadata}}` envelope
 * (introduction, "Error Codes"). GA002 is not documented. Which HTTP status accompanies each
 * code is not documented either (unverified: the adapter decides by the code first, then the status).
 */
export const GROWW_ERROR_CODES = {
  GA000: 'Internal error occurred',
  GA001: 'Bad request',
  GA003: 'Unable to serve request currently',
  GA004: 'Requested entity does not exist',
  GA005: 'User not authorised to perform this operation',
  GA006: 'Cannot process this request',
  GA007: 'Duplicate order reference id',
} as const;

/**
 * Order statuses (annexures, "Order Status"). `OPEN` is not in the list but is what the
 * documentation's response examples show for a working order: accepted as a live status.
 */
export const GROWW_ORDER_STATUSES = [
  'NEW',
  'ACKED',
  'TRIGGER_PENDING',
  'APPROVED',
  'REJECTED',
  'FAILED',
  'EXECUTED',
  'DELIVERY_AWAITED',
  'CANCELLED',
  'CANCELLATION_REQUESTED',
  'MODIFICATION_REQUESTED',
  'COMPLETED',
] as const;

/** Page sizes: order list at most 100, trades of an order at most 50. */
export const GROWW_ORDER_PAGE = 100;
export const GROWW_TRADE_PAGE = 50;

/**
 * Instrument CSV columns (instruments, "Instrument CSV Columns"). The ones the adapter reads must
 * be present; the others are listed for the emulator.
 */
export const GROWW_INSTRUMENT_COLUMNS = [
  'exchange',
  'exchange_token',
  'trading_symbol',
  'groww_symbol',
  'name',
  'instrument_type',
  'segment',
  'series',
  'isin',
  'underlying_symbol',
  'underlying_exchange_token',
  'lot_size',
  'expiry_date',
  'strike_price',
  'tick_size',
  'freeze_quantity',
  'is_reserved',
  'buy_allowed',
  'sell_allowed',
] as const;

/**
 * Unverified, decided here:
 * - holdings `quantity` includes `t1_quantity` (the documented example's 10 = 5 free + 3 T1 + 2
 *   pledged); settled = quantity − t1_quantity;
 * - a position's today quantity is `credit_quantity − debit_quantity` (carry-forward fields are
 *   earlier days');
 * - the token endpoint's `expiry` ("2024-07-01T12:34:56", no zone) is India time; tokens
 *   otherwise expire daily at 06:00 IST (documented for generated access tokens);
 * - `EXECUTED` means the whole quantity traded (a partly filled order stays live with its
 *   `filled_quantity`);
 * - Groww has no logout call: a token is revoked on Groww's API keys page.
 * - the equity order-update feed (`GrowwFeed`, NATS with protobuf messages) has no documented
 *   wire protocol outside the Python SDK: order updates are polled from the order list.
 */
export const GROWW_TOKEN_EXPIRY_MINUTE_IST = 6 * 60;
