import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import { type FixField, FixMessage } from '../../src/brokers/fix/codec.js';
import { correctionMessage, FixOrders, toBrokerOrder } from '../../src/brokers/fix/fix-orders.js';
import { FixStore } from '../../src/brokers/fix/fix-store.js';
import { resendPlan } from '../../src/brokers/fix/fix-resend.js';
import { TAG } from '../../src/brokers/fix/wire-facts.js';

const NOW = Date.UTC(2026, 11, 3, 5, 0, 0);

function book() {
  const orders = new FixOrders(new FixStore(openDatabase(':memory:').brokerTables('fix'), 'unit'), (s) => s, 'NSE');
  orders.placed({ root: 'K1', latest: 'K1', symbol: 'INFY', exchange: 'NSE', side: 'buy', type: 'limit', quantity: 10, limitPrice: 150_000, timeInForce: 'day', cumQty: 0, avgPx: 0, createdAt: NOW, updatedAt: NOW });
  return orders;
}

const er = (fields: Record<number, string>): FixMessage => new FixMessage(Object.entries({ [TAG.OrderID]: 'O1', [TAG.ClOrdID]: 'K1', [TAG.Symbol]: 'INFY', [TAG.Side]: '1', ...fields }).map(([t, v]) => [Number(t), v] as FixField));

describe('FIX execution reports', () => {
  it('counts a fill once by ExecID, a PossDup resend and a duplicate included, and ignores a report older than what is known', () => {
    const orders = book();
    const fill1 = er({ [TAG.ExecID]: 'X1', [TAG.ExecType]: 'F', [TAG.OrdStatus]: '1', [TAG.LastQty]: '4', [TAG.LastPx]: '1500.00', [TAG.CumQty]: '4', [TAG.AvgPx]: '1500' });
    expect(orders.apply(fill1, NOW).trade).toMatchObject({ tradeId: 'X1', quantity: 4, price: 150_000, brokerOrderId: 'O1', clientOrderId: 'K1' });
    const fill2 = er({ [TAG.ExecID]: 'X2', [TAG.ExecType]: 'F', [TAG.OrdStatus]: '2', [TAG.LastQty]: '6', [TAG.LastPx]: '1500.10', [TAG.CumQty]: '10', [TAG.AvgPx]: '1500.06' });
    expect(orders.apply(fill2, NOW).trade?.quantity).toBe(6);
    const resent = new FixMessage([...fill1.fields, [TAG.PossDupFlag, 'Y']]);
    const again = orders.apply(resent, NOW);
    expect(again.trade, 'the resend counted again').toBeUndefined();
    expect(toBrokerOrder(again.record!)).toMatchObject({ status: 'filled', filledQuantity: 10, brokerStatus: 'Filled' });
    expect(orders.trades('O1').map((t) => t.tradeId)).toEqual(['X1', 'X2']);
  });

  it('maps DoneForDay and Calculated by what was done, and a replace moves the ClOrdID and the terms', () => {
    const orders = book();
    orders.alias('r1', orders.byClientId('K1')!);
    const replaced = orders.apply(er({ [TAG.ClOrdID]: 'r1', [TAG.OrigClOrdID]: 'K1', [TAG.ExecID]: 'X3', [TAG.ExecType]: '5', [TAG.OrdStatus]: '0', [TAG.OrderQty]: '6', [TAG.Price]: '1499.90', [TAG.OrdType]: '2', [TAG.CumQty]: '0' }), NOW).record!;
    expect([replaced.latest, replaced.quantity, replaced.limitPrice]).toEqual(['r1', 6, 149_990]);
    const partial = orders.apply(er({ [TAG.ClOrdID]: 'r1', [TAG.ExecID]: 'X4', [TAG.ExecType]: 'F', [TAG.OrdStatus]: '1', [TAG.LastQty]: '2', [TAG.LastPx]: '1499.90', [TAG.CumQty]: '2' }), NOW).record!;
    expect(toBrokerOrder(partial).status).toBe('partially_filled');
    const done = orders.apply(er({ [TAG.ClOrdID]: 'r1', [TAG.ExecID]: 'X5', [TAG.ExecType]: '3', [TAG.OrdStatus]: '3', [TAG.CumQty]: '2' }), NOW).record!;
    expect(toBrokerOrder(done)).toMatchObject({ status: 'expired', brokerStatus: 'DoneForDay', filledQuantity: 2 });
    const calculated = orders.apply(er({ [TAG.ClOrdID]: 'r1', [TAG.ExecID]: 'X6', [TAG.ExecType]: 'I', [TAG.OrdStatus]: 'B', [TAG.CumQty]: '6' }), NOW).record!;
    expect(toBrokerOrder(calculated)).toMatchObject({ status: 'filled', brokerStatus: 'Calculated' });
  });

  it('reports a trade cancel (H) or correction (G) without touching the recorded fill or the order', () => {
    const orders = book();
    orders.apply(er({ [TAG.ExecID]: 'X1', [TAG.ExecType]: 'F', [TAG.OrdStatus]: '2', [TAG.LastQty]: '10', [TAG.LastPx]: '1500.00', [TAG.CumQty]: '10', [TAG.AvgPx]: '1500' }), NOW);
    const bust = orders.apply(er({ [TAG.ExecID]: 'X9', [TAG.ExecRefID]: 'X1', [TAG.ExecType]: 'H', [TAG.OrdStatus]: '4', [TAG.LastQty]: '0', [TAG.CumQty]: '0' }), NOW);
    expect(bust.trade).toBeUndefined();
    expect(bust.correction).toEqual({ kind: 'cancel', execRefId: 'X1', clientOrderId: 'K1' });
    expect(correctionMessage(bust.correction!, bust.record!)).toMatch(/cancelled \(busted\) trade X1 of order K1 \(buy INFY\).*ptexec reconcile/);
    const fix = orders.apply(er({ [TAG.ExecID]: 'X10', [TAG.ExecRefID]: 'X1', [TAG.ExecType]: 'G', [TAG.OrdStatus]: '2', [TAG.LastQty]: '10', [TAG.LastPx]: '1499.50', [TAG.CumQty]: '10' }), NOW);
    expect(fix.correction).toEqual({ kind: 'correct', execRefId: 'X1', clientOrderId: 'K1', quantity: 10, price: 149_950 });
    expect(correctionMessage(fix.correction!, fix.record!)).toMatch(/corrected to 10 at 1499\.50 trade X1/);
    expect(toBrokerOrder(orders.byClientId('K1')!)).toMatchObject({ status: 'filled', filledQuantity: 10 });
    expect(orders.trades('O1').map((t) => [t.tradeId, t.price])).toEqual([['X1', 150_000]]);
  });

  it('reads an answer to OrderStatusRequest for an order never booked as unknown', () => {
    const orders = book();
    expect(orders.apply(er({ [TAG.OrderID]: 'NONE', [TAG.ExecID]: 'X7', [TAG.ExecType]: 'I', [TAG.OrdStatus]: '8', [TAG.OrdRejReason]: '5' }), NOW)).toEqual({ unknownOrder: true });
    expect(orders.byClientId('K1')!.ordStatus).toBeUndefined();
  });
});

describe('FIX resend answers', () => {
  it('resends application messages of today, and gap-fills admin messages, missing ones and an earlier day’s orders in runs', () => {
    const kept = [
      { seq: 1, msgType: 'A', sentAt: NOW },
      { seq: 2, msgType: 'D', fields: ['yesterday'], sentAt: NOW - 86_400_000 },
      { seq: 3, msgType: '0', sentAt: NOW },
      { seq: 4, msgType: 'D', fields: ['today'], sentAt: NOW },
      { seq: 6, msgType: 'F', fields: ['cancel'], sentAt: NOW },
    ];
    const steps = resendPlan(kept, 1, 7, NOW - 3_600_000);
    expect(steps.map((s) => ('gapFill' in s ? `gap ${s.gapFill.seq}→${s.gapFill.newSeqNo}` : `resend ${s.resend.seq}`))).toEqual(['gap 1→4', 'resend 4', 'gap 5→6', 'resend 6', 'gap 7→8']);
  });
});
