import type { OrderStatus, OrderType } from '../../domain/order.js';
import type { PlainOrderType } from '../plain-order-type.js';

/**
 * FIX 4.4 as ptexec speaks it: the tags, message types and enumerations it uses (FIX 4.4
 * specification, Volume 2 and the FIX Trading Community's FIX 4.4 dictionary). Facts marked
 * `unverified` depend on the counterparty: its rules of engagement decide them, and the defaults
 * here are common practice, not a standard.
 */
export const BEGIN_STRING = 'FIX.4.4';

/**
 * unverified, per counterparty (the tests run against ptexec's own acceptor emulator):
 * - which of OrderMassStatusRequest (AF), RequestForPositions (AN/AP), MarketDataRequest (V/W)
 *   and SecurityListRequest (x/y) it answers;
 * - PosType SOD = owned at the start of the day and DLV = awaiting delivery (T+1), SettlPrice(730)
 *   as the holding's cost;
 * - an OrderStatusRequest for an order it never booked answered by an ExecutionReport with
 *   ExecType I, OrdStatus 8, OrdRejReason 5 (the standard's advice) or by a BusinessMessageReject
 *   with reason 1 "unknown ID";
 * - application messages resent on a ResendRequest (not gap-filled), and no daily sequence reset
 *   other than on Logon (`reset_on_logon`);
 * - ClOrdID at most 20 characters; throttle refusals as BusinessMessageReject.
 */

export const TAG = {
  Account: 1,
  AvgPx: 6,
  BeginSeqNo: 7,
  ClOrdID: 11,
  Currency: 15,
  CumQty: 14,
  ExecID: 17,
  /** The ExecID a trade cancel or correction (ExecType H/G) refers to. */
  ExecRefID: 19,
  HandlInst: 21,
  SecurityIDSource: 22,
  LastPx: 31,
  LastQty: 32,
  EndSeqNo: 16,
  MsgSeqNum: 34,
  MsgType: 35,
  NewSeqNo: 36,
  OrderID: 37,
  OrderQty: 38,
  OrdStatus: 39,
  OrdType: 40,
  OrigClOrdID: 41,
  PossDupFlag: 43,
  Price: 44,
  RefSeqNum: 45,
  SecurityID: 48,
  SenderCompID: 49,
  SendingTime: 52,
  Side: 54,
  Symbol: 55,
  TargetCompID: 56,
  Text: 58,
  TimeInForce: 59,
  TransactTime: 60,
  ValidUntilTime: 62,
  EncryptMethod: 98,
  StopPx: 99,
  ExDestination: 100,
  CxlRejReason: 102,
  OrdRejReason: 103,
  HeartBtInt: 108,
  TestReqID: 112,
  OrigSendingTime: 122,
  GapFillFlag: 123,
  ResetSeqNumFlag: 141,
  NoRelatedSym: 146,
  ExecType: 150,
  LeavesQty: 151,
  SecurityExchange: 207,
  MDReqID: 262,
  SubscriptionRequestType: 263,
  MarketDepth: 264,
  NoMDEntryTypes: 267,
  NoMDEntries: 268,
  MDEntryType: 269,
  MDEntryPx: 270,
  MDEntrySize: 271,
  RefTagID: 371,
  RefMsgType: 372,
  SessionRejectReason: 373,
  BusinessRejectRefID: 379,
  BusinessRejectReason: 380,
  CxlRejResponseTo: 434,
  Username: 553,
  Password: 554,
  SecurityReqID: 320,
  SecurityListRequestType: 559,
  SecurityRequestResult: 560,
  RoundLot: 561,
  MassStatusReqID: 584,
  MassStatusReqType: 585,
  NoPositions: 702,
  PosType: 703,
  LongQty: 704,
  ShortQty: 705,
  PosReqID: 710,
  ClearingBusinessDate: 715,
  PosReqType: 724,
  TotalNumPosReports: 727,
  PosReqResult: 728,
  PosReqStatus: 729,
  SettlPrice: 730,
  TotNumReports: 911,
  LastRptRequested: 912,
  NoPartyIDs: 453,
  AccountType: 581,
  MinPriceIncrement: 969,
  NextExpectedMsgSeqNum: 789,
  SecurityDesc: 107,
} as const;

export const MSG = {
  Heartbeat: '0',
  TestRequest: '1',
  ResendRequest: '2',
  Reject: '3',
  SequenceReset: '4',
  Logout: '5',
  Logon: 'A',
  ExecutionReport: '8',
  OrderCancelReject: '9',
  NewOrderSingle: 'D',
  OrderCancelRequest: 'F',
  OrderCancelReplaceRequest: 'G',
  OrderStatusRequest: 'H',
  BusinessMessageReject: 'j',
  OrderMassStatusRequest: 'AF',
  RequestForPositions: 'AN',
  RequestForPositionsAck: 'AO',
  PositionReport: 'AP',
  MarketDataRequest: 'V',
  MarketDataSnapshot: 'W',
  MarketDataRequestReject: 'Y',
  SecurityListRequest: 'x',
  SecurityList: 'y',
} as const;

/** Session-level messages: on a ResendRequest these are gap-filled (SequenceReset-GapFill), never resent. */
export const ADMIN_TYPES: ReadonlySet<string> = new Set([MSG.Heartbeat, MSG.TestRequest, MSG.ResendRequest, MSG.Reject, MSG.SequenceReset, MSG.Logout, MSG.Logon]);

/** OrdStatus(39) by code, with its name (what ptexec shows as the broker's status word). */
export const ORD_STATUS_NAMES: Readonly<Record<string, string>> = {
  '0': 'New',
  '1': 'PartiallyFilled',
  '2': 'Filled',
  '3': 'DoneForDay',
  '4': 'Canceled',
  '5': 'Replaced',
  '6': 'PendingCancel',
  '7': 'Stopped',
  '8': 'Rejected',
  '9': 'Suspended',
  A: 'PendingNew',
  B: 'Calculated',
  C: 'Expired',
  D: 'AcceptedForBidding',
  E: 'PendingReplace',
};

/**
 * Every OrdStatus(39) mapped onto ours. A live status with shares filled is `partially_filled`
 * (see `fixOrderStatus`). DoneForDay and Calculated end a day order (ptexec sends only DAY and
 * IOC): filled when everything traded, else expired with what traded kept. Stopped and Suspended
 * are live orders the counterparty holds. Replaced (deprecated in 4.4, still sent by some) is a
 * working order with new terms.
 */
export const FIX_STATUSES: Readonly<Record<string, OrderStatus>> = {
  New: 'accepted',
  PartiallyFilled: 'partially_filled',
  Filled: 'filled',
  DoneForDay: 'expired',
  Canceled: 'cancelled',
  Replaced: 'accepted',
  PendingCancel: 'pending_cancel',
  Stopped: 'accepted',
  Rejected: 'rejected',
  Suspended: 'accepted',
  PendingNew: 'pending_submit',
  Calculated: 'expired',
  Expired: 'expired',
  AcceptedForBidding: 'accepted',
  PendingReplace: 'pending_replace',
};

/** ExecType(150): what an ExecutionReport reports. Trade (F) is the only one that carries a fill. */
export const EXEC_TYPE = {
  New: '0',
  DoneForDay: '3',
  Canceled: '4',
  Replaced: '5',
  PendingCancel: '6',
  Stopped: '7',
  Rejected: '8',
  Suspended: '9',
  PendingNew: 'A',
  Calculated: 'B',
  Expired: 'C',
  Restated: 'D',
  PendingReplace: 'E',
  Trade: 'F',
  TradeCorrect: 'G',
  TradeCancel: 'H',
  OrderStatus: 'I',
} as const;

export const ORD_TYPE: Readonly<Record<PlainOrderType, string>> = { market: '1', limit: '2', stop: '3', stop_limit: '4' };
export const ORD_TYPE_BY_CODE: Readonly<Record<string, OrderType>> = { '1': 'market', '2': 'limit', '3': 'stop', '4': 'stop_limit' };
export const SIDE = { buy: '1', sell: '2' } as const;
export const TIME_IN_FORCE = { day: '0', ioc: '3' } as const;
/** HandlInst(21) 1 = automated execution, private, no broker intervention. unverified: some counterparties require 2 or 3. */
export const HANDL_INST_DEFAULT = '1';

/** OrdRejReason(103) 5: unknown order — how an OrderStatusRequest for an order the counterparty never booked is answered. */
export const ORD_REJ_UNKNOWN_ORDER = '5';

export const SESSION_REJECT_REASONS: Readonly<Record<string, string>> = {
  '0': 'invalid tag number',
  '1': 'required tag missing',
  '2': 'tag not defined for this message type',
  '3': 'undefined tag',
  '4': 'tag specified without a value',
  '5': 'value is incorrect (out of range) for this tag',
  '6': 'incorrect data format for value',
  '7': 'decryption problem',
  '8': 'signature problem',
  '9': 'CompID problem',
  '10': 'SendingTime accuracy problem',
  '11': 'invalid MsgType',
  '13': 'tag appears more than once',
  '14': 'tag specified out of required order',
  '15': 'repeating group fields out of order',
  '16': 'incorrect NumInGroup count for repeating group',
  '99': 'other',
};

export const BUSINESS_REJECT_REASONS: Readonly<Record<string, string>> = {
  '0': 'other',
  '1': 'unknown ID',
  '2': 'unknown security',
  '3': 'unsupported message type',
  '4': 'application not available',
  '5': 'conditionally required field missing',
  '6': 'not authorized',
  '7': 'DeliverTo firm not available at this time',
};

export const CXL_REJ_REASONS: Readonly<Record<string, string>> = {
  '0': 'too late to cancel',
  '1': 'unknown order',
  '2': 'broker / exchange option',
  '3': 'order already in pending cancel or pending replace status',
  '4': 'unable to process order mass cancel request',
  '5': 'OrigOrdModTime did not match last TransactTime of order',
  '6': 'duplicate ClOrdID received',
  '99': 'other',
};

/** Defaults of a session's settings. unverified: each is the counterparty's to state in its rules of engagement. */
export const FIX_DEFAULTS = {
  heartbeatSeconds: 30,
  /** ClOrdID(11) length ptexec keeps to (FIX sets none; many venues cap it at 20). unverified. */
  clOrdIdMaxLength: 20,
  /** Order messages a second. unverified: a counterparty's throttle is set per session. */
  ordersPerSecond: 10,
} as const;
