import { type Server, type Socket, createServer } from 'node:net';
import { type FixField, FixMessage, FixParser, encodeFix, fixTimestamp } from '../../../src/brokers/fix/codec.js';
import { resendPlan } from '../../../src/brokers/fix/fix-resend.js';
import { ADMIN_TYPES, BEGIN_STRING, MSG, ORD_STATUS_NAMES, TAG } from '../../../src/brokers/fix/wire-facts.js';
import type { RecordedRequest } from '../../conformance/subject.js';
import { SimExchange, type SimHolding, type SimOrder, SimRefusal, type SimOrderType } from '../exchange/sim-exchange.js';

/**
 * A FIX 4.4 acceptor on 127.0.0.1 playing a sell-side executor over SimExchange. It is strict:
 * BeginString, BodyLength and CheckSum are checked on every message (a bad one ends the
 * connection), CompIDs must be the agreed ones, the first message must be a Logon with the
 * password, a MsgSeqNum above the expected one is answered by a ResendRequest and one below it
 * (without PossDupFlag) by a Logout; sequence numbers and sent messages outlive a connection (as
 * the counterparty's do), so a reconnecting initiator is resent what it missed. Orders are
 * executed with partial fills; faults: disconnects (mid-order), sequence gaps, duplicate and
 * out-of-order execution reports, Reject (3) and BusinessMessageReject (j), hung placements.
 */
export interface FixEmulatorOptions {
  cash?: number;
  holdings?: SimHolding[];
  partialFills?: boolean;
  /** The acceptor's CompID (the initiator's TargetCompID) and the initiator's. */
  compIds?: { acceptor: string; initiator: string };
  password?: string;
  /** Runs the matcher every `ms` (market orders fill by themselves); 0 = only when a test fills. */
  matchIntervalMs?: number;
  /** Order messages a second the acceptor takes before it refuses with a BusinessMessageReject. */
  ordersPerSecond?: number;
}

const ORD_TYPE: Record<string, SimOrderType> = { '1': 'MARKET', '2': 'LIMIT', '3': 'SL-M', '4': 'SL' };
const CODE_BY_NAME = Object.fromEntries(Object.entries(ORD_STATUS_NAMES).map(([code, name]) => [name, code]));

export type FixEmulator = Awaited<ReturnType<typeof startFixEmulator>>;

export async function startFixEmulator(options: FixEmulatorOptions = {}) {
  const comp = options.compIds ?? { acceptor: 'EXEC', initiator: 'PTEXEC' };
  let password = options.password ?? 'fix-emu-secret';
  const exchange = new SimExchange({ cash: options.cash, holdings: options.holdings, partialFills: options.partialFills ?? true });
  const calls: RecordedRequest[] = [];
  const outbox = new Map<number, { type: string; body: FixField[]; sentAt: number }>();
  const seqs = { nextOut: 1, nextIn: 1 };
  const latestClOrdId = new Map<string, string>();
  const orderByClOrdId = new Map<string, string>();
  const reportedTrades = new Set<string>();
  let socket: Socket | undefined;
  let loggedOn = false;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let execSeq = 0;
  const faults = { gap: 0, duplicate: false, reorder: false, held: [] as FixField[][], hang: 0, bookThenReset: false, rejectNext: undefined as undefined | '3' | 'j', silent: false, expired: false, refuseMassStatus: false };
  const placedAt: number[] = [];

  const send = (type: string, body: FixField[], opts: { possDup?: boolean } = {}) => {
    const seq = seqs.nextOut++;
    if (!ADMIN_TYPES.has(type)) outbox.set(seq, { type, body, sentAt: Date.now() });
    if (faults.gap > 0 && type === MSG.ExecutionReport) {
      faults.gap--;
      return;
    }
    write(type, body, seq, opts.possDup ? { origSendingTime: Date.now() } : undefined);
  };
  const write = (type: string, body: FixField[], seq: number, possDup?: { origSendingTime: number }) => {
    // Sent only to a logged-on initiator; the rest waits in the outbox for its ResendRequest.
    if (!socket || faults.silent || (!loggedOn && type !== MSG.Logon && type !== MSG.Logout)) return;
    const header: FixField[] = [[TAG.MsgType, type], [TAG.SenderCompID, comp.acceptor], [TAG.TargetCompID, comp.initiator], [TAG.MsgSeqNum, String(seq)]];
    if (possDup) header.push([TAG.PossDupFlag, 'Y']);
    header.push([TAG.SendingTime, fixTimestamp(Date.now())]);
    if (possDup) header.push([TAG.OrigSendingTime, fixTimestamp(possDup.origSendingTime)]);
    socket.write(encodeFix(BEGIN_STRING, [...header, ...body]), 'latin1');
  };
  /** An execution report, through the faults that disorder or repeat them. */
  const report = (body: FixField[]) => {
    if (faults.reorder) {
      faults.held.push(body);
      return;
    }
    send(MSG.ExecutionReport, body);
    if (faults.duplicate) send(MSG.ExecutionReport, body, { possDup: true });
  };
  const flushHeld = () => {
    const held = faults.held.splice(0).reverse();
    for (const body of held) send(MSG.ExecutionReport, body);
  };

  const ordStatus = (o: SimOrder): string => {
    if (o.statusOverride) return CODE_BY_NAME[o.statusOverride] ?? '0';
    switch (o.phase) {
      case 'received':
        return 'A';
      case 'complete':
        return '2';
      case 'cancelled':
        return '4';
      case 'rejected':
        return '8';
      default:
        return o.filled > 0 ? '1' : '0';
    }
  };
  const execReport = (o: SimOrder, execType: string, extra: FixField[] = [], clOrdId?: string): FixField[] => [
    [TAG.OrderID, o.id],
    [TAG.ClOrdID, clOrdId ?? latestClOrdId.get(o.id) ?? o.clientRef ?? ''],
    [TAG.ExecID, `E${++execSeq}`],
    [TAG.ExecType, execType],
    [TAG.OrdStatus, ordStatus(o)],
    [TAG.Symbol, o.symbol],
    [TAG.Side, o.side === 'BUY' ? '1' : '2'],
    [TAG.OrderQty, String(o.quantity)],
    [TAG.OrdType, Object.entries(ORD_TYPE).find(([, t]) => t === o.type)![0]],
    ...(o.price ? ([[TAG.Price, (o.price / 100).toFixed(2)]] as FixField[]) : []),
    ...(o.trigger ? ([[TAG.StopPx, (o.trigger / 100).toFixed(2)]] as FixField[]) : []),
    [TAG.LeavesQty, String(o.phase === 'cancelled' || o.phase === 'rejected' || o.phase === 'complete' ? 0 : o.quantity - o.filled)],
    [TAG.CumQty, String(o.filled)],
    [TAG.AvgPx, (exchange.averagePrice(o) / 100).toFixed(4)],
    [TAG.TransactTime, fixTimestamp(Date.now())],
    ...(o.message ? ([[TAG.Text, o.message]] as FixField[]) : []),
    ...extra,
  ];

  // Every change of the book becomes execution reports: new fills as Trade (F) with their ExecID, status changes by their ExecType.
  exchange.onChange((o, change) => {
    const trades = exchange.trades.filter((t) => t.orderId === o.id && !reportedTrades.has(t.id));
    for (const t of trades) {
      reportedTrades.add(t.id);
      const body = execReport(o, 'F', [[TAG.LastQty, String(t.quantity)], [TAG.LastPx, (t.price / 100).toFixed(2)]]);
      body[2] = [TAG.ExecID, `T${t.id}`];
      report(body);
    }
    if (trades.length > 0 || change === 'fill') return;
    if (change === 'modify') return; // answered by the replace itself
    if (o.statusOverride) return report(execReport(o, 'D'));
    const type = { received: 'A', open: '0', trigger_pending: '0', amo: '0', cancelled: '4', rejected: '8', complete: 'F' }[o.phase];
    if (o.phase === 'received') return; // PendingNew is not reported: the acceptance follows at once
    report(execReport(o, type, o.phase === 'rejected' ? [[TAG.OrdRejReason, '99']] : []));
  });

  const businessReject = (m: FixMessage, reason: string, text: string, refId = m.get(TAG.ClOrdID) ?? '') =>
    send(MSG.BusinessMessageReject, [[TAG.RefSeqNum, String(m.seq)], [TAG.RefMsgType, m.type], [TAG.BusinessRejectRefID, refId], [TAG.BusinessRejectReason, reason], [TAG.Text, text]]);

  const onApplication = (m: FixMessage) => {
    const isOrder = m.type === MSG.NewOrderSingle || m.type === MSG.OrderCancelRequest || m.type === MSG.OrderCancelReplaceRequest;
    if (isOrder && faults.rejectNext) {
      const kind = faults.rejectNext;
      faults.rejectNext = undefined;
      if (kind === '3') return send(MSG.Reject, [[TAG.RefSeqNum, String(m.seq)], [TAG.RefTagID, '44'], [TAG.RefMsgType, m.type], [TAG.SessionRejectReason, '5'], [TAG.Text, 'Price out of range (emulator)']]);
      return businessReject(m, '4', 'Application not available: order entry halted (emulator)');
    }
    if (isOrder && options.ordersPerSecond) {
      const now = Date.now();
      while (placedAt.length && placedAt[0]! <= now - 1_000) placedAt.shift();
      if (placedAt.length >= options.ordersPerSecond) return businessReject(m, '0', 'Throttle limit exceeded');
      placedAt.push(now);
    }
    switch (m.type) {
      case MSG.NewOrderSingle:
        return newOrder(m);
      case MSG.OrderCancelRequest:
      case MSG.OrderCancelReplaceRequest:
        return cancelOrReplace(m);
      case MSG.OrderStatusRequest: {
        const id = orderByClOrdId.get(m.get(TAG.ClOrdID) ?? '');
        const o = id ? exchange.order(id) : undefined;
        if (!o) return send(MSG.ExecutionReport, [[TAG.OrderID, 'NONE'], [TAG.ClOrdID, m.get(TAG.ClOrdID) ?? ''], [TAG.ExecID, `E${++execSeq}`], [TAG.ExecType, 'I'], [TAG.OrdStatus, '8'], [TAG.OrdRejReason, '5'], [TAG.Symbol, m.get(TAG.Symbol) ?? ''], [TAG.Side, m.get(TAG.Side) ?? '1'], [TAG.LeavesQty, '0'], [TAG.CumQty, '0'], [TAG.AvgPx, '0'], [TAG.Text, 'Unknown order']]);
        return send(MSG.ExecutionReport, execReport(o, 'I'));
      }
      case MSG.OrderMassStatusRequest: {
        if (faults.refuseMassStatus) return businessReject(m, '3', 'Unsupported message type', m.get(TAG.MassStatusReqID));
        const id = m.get(TAG.MassStatusReqID) ?? '';
        const all = exchange.orders();
        if (all.length === 0) return send(MSG.ExecutionReport, [[TAG.OrderID, 'NONE'], [TAG.ExecID, `E${++execSeq}`], [TAG.ExecType, 'I'], [TAG.OrdStatus, '8'], [TAG.Symbol, 'NA'], [TAG.Side, '1'], [TAG.LeavesQty, '0'], [TAG.CumQty, '0'], [TAG.AvgPx, '0'], [TAG.MassStatusReqID, id], [TAG.TotNumReports, '0'], [TAG.LastRptRequested, 'Y']]);
        all.forEach((o, i) => send(MSG.ExecutionReport, execReport(o, 'I', [[TAG.MassStatusReqID, id], [TAG.TotNumReports, String(all.length)], [TAG.LastRptRequested, i === all.length - 1 ? 'Y' : 'N']])));
        return;
      }
      case MSG.RequestForPositions: {
        const id = m.get(TAG.PosReqID) ?? '';
        const held = exchange.holdings.filter((h) => h.exchange === 'NSE');
        send(MSG.RequestForPositionsAck, [[TAG.PosReqID, id], [TAG.TotalNumPosReports, String(held.length)], [TAG.PosReqResult, held.length ? '0' : '2'], [TAG.PosReqStatus, '0']]);
        held.forEach((h, i) =>
          send(MSG.PositionReport, [[TAG.PosReqID, id], [TAG.PosReqResult, '0'], [TAG.Symbol, h.symbol], [TAG.SettlPrice, (h.averagePrice / 100).toFixed(2)], [TAG.NoPositions, '2'], [TAG.PosType, 'SOD'], [TAG.LongQty, String(h.quantity + h.t1Quantity)], [TAG.ShortQty, '0'], [TAG.PosType, 'DLV'], [TAG.LongQty, String(h.t1Quantity)], [TAG.ShortQty, '0'], [TAG.LastRptRequested, i === held.length - 1 ? 'Y' : 'N']]),
        );
        return;
      }
      case MSG.MarketDataRequest: {
        const id = m.get(TAG.MDReqID) ?? '';
        const inst = exchange.instrument('NSE', m.get(TAG.Symbol) ?? '');
        if (!inst) return send(MSG.MarketDataRequestReject, [[TAG.MDReqID, id], [TAG.Text, `unknown symbol ${m.get(TAG.Symbol)}`]]);
        const px = (p: number) => (p / 100).toFixed(2);
        return send(MSG.MarketDataSnapshot, [[TAG.MDReqID, id], [TAG.Symbol, inst.symbol], [TAG.NoMDEntries, '3'], [TAG.MDEntryType, '0'], [TAG.MDEntryPx, px(inst.bid)], [TAG.MDEntrySize, '100'], [TAG.MDEntryType, '1'], [TAG.MDEntryPx, px(inst.ask)], [TAG.MDEntrySize, '100'], [TAG.MDEntryType, '2'], [TAG.MDEntryPx, px(inst.last)], [TAG.MDEntrySize, '1']]);
      }
      case MSG.SecurityListRequest: {
        const list = exchange.instruments.filter((i) => i.exchange === 'NSE');
        const body: FixField[] = [[TAG.SecurityReqID, m.get(TAG.SecurityReqID) ?? ''], [TAG.SecurityRequestResult, '0'], [TAG.NoRelatedSym, String(list.length)]];
        for (const i of list) body.push([TAG.Symbol, i.symbol], [TAG.SecurityID, i.isin], [TAG.SecurityIDSource, '4'], [TAG.SecurityDesc, i.name], [TAG.RoundLot, String(i.lot)], [TAG.MinPriceIncrement, (i.tick / 100).toFixed(2)]);
        return send(MSG.SecurityList, body);
      }
      default:
        return businessReject(m, '3', `Unsupported message type ${m.type}`);
    }
  };

  const required = (m: FixMessage, tags: number[]): number | undefined => tags.find((t) => m.get(t) === undefined || m.get(t) === '');

  const newOrder = (m: FixMessage) => {
    const missing = required(m, [TAG.ClOrdID, TAG.HandlInst, TAG.Symbol, TAG.Side, TAG.TransactTime, TAG.OrderQty, TAG.OrdType]);
    if (missing !== undefined) return send(MSG.Reject, [[TAG.RefSeqNum, String(m.seq)], [TAG.RefTagID, String(missing)], [TAG.RefMsgType, m.type], [TAG.SessionRejectReason, '1'], [TAG.Text, 'Required tag missing']]);
    if (faults.hang > 0) {
      faults.hang--;
      return;
    }
    const clOrdId = m.get(TAG.ClOrdID)!;
    const rejectEr = (reason: string, code: string) =>
      send(MSG.ExecutionReport, [[TAG.OrderID, 'NONE'], [TAG.ClOrdID, clOrdId], [TAG.ExecID, `E${++execSeq}`], [TAG.ExecType, '8'], [TAG.OrdStatus, '8'], [TAG.OrdRejReason, code], [TAG.Symbol, m.get(TAG.Symbol)!], [TAG.Side, m.get(TAG.Side)!], [TAG.LeavesQty, '0'], [TAG.CumQty, '0'], [TAG.AvgPx, '0'], [TAG.Text, reason]]);
    if (orderByClOrdId.has(clOrdId)) return rejectEr(`Duplicate ClOrdID ${clOrdId}`, '6');
    const type = ORD_TYPE[m.get(TAG.OrdType)!];
    if (!type) return rejectEr(`Unsupported OrdType ${m.get(TAG.OrdType)}`, '99');
    const minor = (tag: number) => Math.round(Number(m.get(tag) ?? 0) * 100);
    let id: string;
    try {
      id = exchange.place({ symbol: m.get(TAG.Symbol)!, exchange: 'NSE', side: m.get(TAG.Side) === '2' ? 'SELL' : 'BUY', type, product: 'delivery', validity: m.get(TAG.TimeInForce) === '3' ? 'IOC' : 'DAY', quantity: Number(m.get(TAG.OrderQty)), price: minor(TAG.Price), trigger: minor(TAG.StopPx), clientRef: clOrdId });
    } catch (err) {
      if (err instanceof SimRefusal) return rejectEr(err.message, err.kind === 'input' && /unknown instrument/.test(err.message) ? '1' : '99');
      throw err;
    }
    orderByClOrdId.set(clOrdId, id);
    latestClOrdId.set(id, clOrdId);
    if (faults.bookThenReset) {
      faults.bookThenReset = false;
      loggedOn = false;
      socket?.destroy();
      socket = undefined;
      exchange.accept(id);
      return;
    }
    exchange.accept(id);
  };

  const cancelOrReplace = (m: FixMessage) => {
    const replace = m.type === MSG.OrderCancelReplaceRequest;
    const clOrdId = m.get(TAG.ClOrdID) ?? '';
    const orig = m.get(TAG.OrigClOrdID) ?? '';
    const id = orderByClOrdId.get(orig);
    const o = id ? exchange.order(id) : undefined;
    const cxlReject = (reason: string, code: string) => send(MSG.OrderCancelReject, [[TAG.OrderID, o?.id ?? 'NONE'], [TAG.ClOrdID, clOrdId], [TAG.OrigClOrdID, orig], [TAG.OrdStatus, o ? ordStatus(o) : '8'], [TAG.CxlRejResponseTo, replace ? '2' : '1'], [TAG.CxlRejReason, code], [TAG.Text, reason]]);
    if (!o) return cxlReject('Unknown order', '1');
    if (latestClOrdId.get(o.id) !== orig) return cxlReject(`OrigClOrdID ${orig} is not the order's current ClOrdID`, '99');
    const before = latestClOrdId.get(o.id)!;
    // The cancel's report (the book's change) carries the cancel's ClOrdID: known before the book changes.
    orderByClOrdId.set(clOrdId, o.id);
    latestClOrdId.set(o.id, clOrdId);
    try {
      if (replace) {
        const minor = (tag: number) => (m.get(tag) === undefined ? undefined : Math.round(Number(m.get(tag)) * 100));
        exchange.modify(o.id, { quantity: m.num(TAG.OrderQty), price: minor(TAG.Price), trigger: minor(TAG.StopPx), type: ORD_TYPE[m.get(TAG.OrdType) ?? ''] });
      } else exchange.cancel(o.id);
    } catch (err) {
      orderByClOrdId.delete(clOrdId);
      latestClOrdId.set(o.id, before);
      if (err instanceof SimRefusal) return cxlReject(err.kind === 'not_live' ? `Too late to ${replace ? 'replace' : 'cancel'}: ${err.message}` : err.message, err.kind === 'not_live' ? '0' : '99');
      throw err;
    }
    if (replace) report(execReport(exchange.order(o.id)!, '5', [[TAG.OrigClOrdID, orig]], clOrdId));
    // A cancel is reported by the book's change (ExecType 4) with the cancel's ClOrdID, set above.
  };

  const expected = (m: FixMessage): boolean => {
    if (m.type === MSG.SequenceReset && m.get(TAG.GapFillFlag) !== 'Y') {
      seqs.nextIn = m.num(TAG.NewSeqNo) ?? seqs.nextIn;
      return false;
    }
    if (m.seq < seqs.nextIn) {
      if (m.get(TAG.PossDupFlag) === 'Y') return false;
      send(MSG.Logout, [[TAG.Text, `MsgSeqNum too low, expecting ${seqs.nextIn} but received ${m.seq}`]]);
      socket?.destroy();
      return false;
    }
    if (m.seq > seqs.nextIn) {
      if (m.type === MSG.Logon) onLogon(m);
      send(MSG.ResendRequest, [[TAG.BeginSeqNo, String(seqs.nextIn)], [TAG.EndSeqNo, '0']]);
      return false;
    }
    if (m.type === MSG.SequenceReset) {
      seqs.nextIn = Math.max(m.num(TAG.NewSeqNo) ?? seqs.nextIn + 1, seqs.nextIn + 1);
      return false;
    }
    seqs.nextIn++;
    return true;
  };

  const onLogon = (m: FixMessage) => {
    if (loggedOn) return;
    if (m.get(TAG.Password) !== password || faults.expired) {
      send(MSG.Logout, [[TAG.Text, faults.expired ? 'Password expired' : 'Invalid username or password']]);
      setTimeout(() => socket?.destroy(), 5);
      return;
    }
    loggedOn = true;
    const hb = Number(m.get(TAG.HeartBtInt) ?? 30);
    send(MSG.Logon, [[TAG.EncryptMethod, '0'], [TAG.HeartBtInt, String(hb)], ...(m.get(TAG.ResetSeqNumFlag) === 'Y' ? ([[TAG.ResetSeqNumFlag, 'Y']] as FixField[]) : [])]);
    clearInterval(heartbeatTimer);
    heartbeatTimer = setInterval(() => loggedOn && send(MSG.Heartbeat, []), hb * 1_000);
  };

  const onMessage = (m: FixMessage) => {
    const at = Date.now();
    const order = m.type === MSG.NewOrderSingle || m.type === MSG.OrderCancelRequest || m.type === MSG.OrderCancelReplaceRequest;
    calls.push({ method: order ? 'POST' : 'GET', path: `/fix/${m.type}`, query: new URLSearchParams(), headers: {}, body: m.toString().replace(/\|554=[^|]*/, '|554=***'), status: 200, at });
    if (m.get(TAG.SenderCompID) !== comp.initiator || m.get(TAG.TargetCompID) !== comp.acceptor) {
      send(MSG.Reject, [[TAG.RefSeqNum, String(m.seq)], [TAG.SessionRejectReason, '9'], [TAG.Text, 'CompID problem']]);
      send(MSG.Logout, [[TAG.Text, 'CompID problem']]);
      socket?.destroy();
      return;
    }
    if (!loggedOn && m.type !== MSG.Logon) {
      send(MSG.Logout, [[TAG.Text, 'First message must be a Logon']]);
      socket?.destroy();
      return;
    }
    if (m.type === MSG.Logon && m.get(TAG.ResetSeqNumFlag) === 'Y') {
      seqs.nextIn = 1;
      seqs.nextOut = 1;
      outbox.clear();
    }
    if (m.type === MSG.Logon && m.get(TAG.Password) !== password) return onLogon(m);
    if (!expected(m)) return;
    switch (m.type) {
      case MSG.Logon:
        return onLogon(m);
      case MSG.Heartbeat:
        return;
      case MSG.TestRequest:
        return send(MSG.Heartbeat, [[TAG.TestReqID, m.get(TAG.TestReqID) ?? '']]);
      case MSG.ResendRequest:
        return resend(m.num(TAG.BeginSeqNo) ?? 1, m.num(TAG.EndSeqNo) ?? 0);
      case MSG.Reject:
        return;
      case MSG.Logout:
        send(MSG.Logout, []);
        loggedOn = false;
        socket?.end();
        return;
      default:
        return onApplication(m);
    }
  };

  const resend = (begin: number, end: number) => {
    const last = seqs.nextOut - 1;
    const upTo = end === 0 || end > last ? last : end;
    const kept = [...outbox].filter(([seq]) => seq >= begin && seq <= upTo).map(([seq, m]) => ({ seq, msgType: m.type, fields: m.body, sentAt: m.sentAt }));
    for (const step of resendPlan(kept, begin, upTo)) {
      if ('gapFill' in step) write(MSG.SequenceReset, [[TAG.GapFillFlag, 'Y'], [TAG.NewSeqNo, String(step.gapFill.newSeqNo)]], step.gapFill.seq, { origSendingTime: Date.now() });
      else write(step.resend.msgType, step.resend.fields, step.resend.seq, { origSendingTime: step.resend.sentAt });
    }
  };

  const server: Server = createServer((s) => {
    socket?.destroy();
    socket = s;
    loggedOn = false;
    const parser = new FixParser(BEGIN_STRING);
    s.on('data', (chunk) => {
      let messages: FixMessage[];
      try {
        messages = parser.push(chunk);
      } catch {
        s.destroy();
        return;
      }
      for (const m of messages) if (socket === s) onMessage(m);
    });
    s.on('close', () => {
      if (socket === s) {
        socket = undefined;
        loggedOn = false;
        clearInterval(heartbeatTimer);
      }
    });
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const matcher = options.matchIntervalMs ? setInterval(() => exchange.match(), options.matchIntervalMs) : undefined;

  return {
    host: '127.0.0.1',
    port,
    compIds: comp,
    password,
    exchange,
    calls,
    /** The acceptor's next sequence numbers. */
    sequences: () => ({ ...seqs }),
    /** Reports an order in one of FIX's OrdStatus names (Restated). */
    setStatus(id: string, name: string) {
      exchange.override(id, name);
    },
    faults: {
      /** Cuts the connection (mid-order when one is working). */
      disconnect() {
        loggedOn = false;
        socket?.destroy();
      },
      /** The next `n` execution reports take their MsgSeqNum but are not sent: a gap. */
      gap(n: number) {
        faults.gap = n;
      },
      duplicate(on: boolean) {
        faults.duplicate = on;
      },
      /** Holds execution reports, and sends them newest first when switched off. */
      reorder(on: boolean) {
        faults.reorder = on;
        if (!on) flushHeld();
      },
      /** The next `n` NewOrderSingles are taken and never answered (nor booked). */
      hang(n: number) {
        faults.hang = n;
      },
      /** The next NewOrderSingle is booked, then the connection drops before its report. */
      bookThenReset() {
        faults.bookThenReset = true;
      },
      /** The next order message is refused with a session Reject (3) or a BusinessMessageReject (j). */
      rejectNext(kind: '3' | 'j') {
        faults.rejectNext = kind;
      },
      /** The acceptor stops sending anything (heartbeats and answers included). */
      silent(on: boolean) {
        faults.silent = on;
      },
      /** The password expires: the session is logged out, and logons with it are refused. */
      expirePassword() {
        faults.expired = true;
        send(MSG.Logout, [[TAG.Text, 'Password expired']]);
        loggedOn = false;
        setTimeout(() => socket?.destroy(), 5);
      },
      /** The acceptor asks for everything from `begin` again (a ResendRequest, as after it lost messages). */
      requestResend(begin: number) {
        send(MSG.ResendRequest, [[TAG.BeginSeqNo, String(begin)], [TAG.EndSeqNo, '0']]);
      },
      /** A new password was issued (the user logs in again): logons are taken again. */
      renewPassword() {
        faults.expired = false;
      },
      /** OrderMassStatusRequest is answered with BusinessMessageReject "unsupported". */
      refuseMassStatus(on: boolean) {
        faults.refuseMassStatus = on;
      },
    },
    setPassword(next: string) {
      password = next;
    },
    async close() {
      clearInterval(heartbeatTimer);
      clearInterval(matcher);
      socket?.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
