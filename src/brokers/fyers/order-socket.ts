import type { FyersOrder, FyersTrade } from './fyers-mapping.js';
import { FYERS_SOCKET_STATUS } from './wire-facts.js';

/**
 * The order socket's messages carry the exchange-level field names; the official SDK renames them
 * (ordersocket/mapper.js) and folds `ord_status` onto the order book's codes. This does the same,
 * so a socket order and a book order map alike.
 */
export function socketOrder(raw: Record<string, unknown>): FyersOrder | undefined {
  const status = FYERS_SOCKET_STATUS[Number(raw.ord_status)] ?? (FYERS_SOCKET_STATUS_BOOK.has(Number(raw.ord_status)) ? Number(raw.ord_status) : undefined);
  if (status === undefined || raw.id === undefined) return undefined;
  return {
    id: String(raw.id),
    symbol: String(raw.symbol ?? ''),
    qty: Number(raw.qty),
    filledQty: Number(raw.qty_filled ?? 0),
    remainingQuantity: Number(raw.qty_remaining ?? 0),
    limitPrice: Number(raw.price_limit ?? 0),
    stopPrice: Number(raw.price_stop ?? 0),
    tradedPrice: Number(raw.price_traded ?? 0),
    type: Number(raw.ord_type),
    side: Number(raw.tran_side),
    status,
    productType: raw.product_type === undefined ? undefined : String(raw.product_type),
    message: raw.oms_msg === undefined ? undefined : String(raw.oms_msg),
    orderDateTime: raw.time_oms === undefined ? undefined : String(raw.time_oms),
    orderTag: raw.ordertag === undefined ? undefined : String(raw.ordertag),
  };
}

/** The book's own codes, should the socket send one (7 expired has no socket code in the SDK's table). */
const FYERS_SOCKET_STATUS_BOOK = new Set([1, 2, 4, 5, 6, 7]);

export function socketTrade(raw: Record<string, unknown>): FyersTrade {
  return {
    tradeNumber: String(raw.id_fill),
    orderNumber: String(raw.id),
    symbol: String(raw.symbol ?? ''),
    side: Number(raw.tran_side),
    tradedQty: Number(raw.qty_traded),
    tradePrice: Number(raw.price_traded),
    orderDateTime: raw.fill_time === undefined ? undefined : String(raw.fill_time),
    orderTag: raw.ordertag === undefined ? undefined : String(raw.ordertag),
  };
}
