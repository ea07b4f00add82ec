import { describe, expect, it } from 'vitest';
import { newEvent, type StoredEvent } from '../../src/domain/events/index.js';
import { accountToken, messageIdOf, subjectOf, workflowEventOf } from '../../src/server/publish/index.js';

const stored = (e: ReturnType<typeof newEvent>, seq = 7): StoredEvent => ({ ...e, seq, ts: 1 }) as StoredEvent;

describe('what a published event is called', () => {
  it('a subject per account and type; an account that would split the subject is one token; no account is _', () => {
    const fill = stored(newEvent('r1', 'fill.recorded', { clientOrderId: 'c', tradeId: 't', brokerOrderId: 'b', broker: 'paper', account: 'AB1234', symbol: 'TCS', exchange: 'NSE', side: 'buy', quantity: 1, price: 100, ts: 1 }));
    expect(subjectOf('ptexec', 'AB1234', fill)).toBe('ptexec.AB1234.fill.recorded');
    expect(accountToken('a.b *>c')).toBe('a_b___c');
    expect(accountToken(null)).toBe('_');
    expect(messageIdOf(42)).toBe('ptexec-42');
    const unknown = { seq: 3, ts: 1, runId: null, type: 'unknown', recordedType: 'algo.decided', payload: {} } as StoredEvent;
    expect(subjectOf('ptexec', null, unknown)).toBe('ptexec._.algo.decided');
  });

  it('the workflow event each event stands for', () => {
    expect(workflowEventOf(stored(newEvent('r1', 'order.status', { clientOrderId: 'c', from: 'created', to: 'accepted' })))).toBe('ExecutionStatusEvent');
    expect(workflowEventOf(stored(newEvent('r1', 'run.status', { status: 'running' })))).toBe('ExecutionStatusEvent');
    expect(workflowEventOf(stored(newEvent('r1', 'run.status', { status: 'completed' })))).toBe('ExecutionQualityReportEvent');
    expect(workflowEventOf(stored(newEvent(null, 'settlement.resolved', { broker: 'paper', tradeId: 't', status: 'settled' })))).toBe('TradeSettledEvent');
    expect(workflowEventOf(stored(newEvent('r1', 'run.alert', { level: 'info', source: 's', message: 'm' })))).toBeUndefined();
  });
});
