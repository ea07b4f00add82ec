import { BrokerError } from '../../domain/errors/broker-error.js';
import type { IbkrClient } from './ibkr-client.js';
import { IBKR_MAX_REPLIES } from './wire-facts.js';

/** An order reply message: IBKR asks to confirm something before the order goes to work. */
export interface IbkrReplyMessage {
  id: string;
  message?: string[];
  messageIds?: string[];
  isSuppressed?: boolean;
}

/** An acknowledgement of a placement or modification. */
export interface IbkrOrderAck {
  order_id?: string | number;
  order_status?: string;
  encrypt_message?: string;
}

type Answer = (IbkrReplyMessage | IbkrOrderAck)[] | IbkrOrderAck;

export interface ReplyPolicy {
  confirm: readonly string[];
  refuse: readonly string[];
}

/** Confirm only when every id of the message is on the confirm list; a listed refusal or an unknown id refuses. */
export function replyDecision(policy: ReplyPolicy, messageIds: readonly string[]): { confirm: boolean; why: string } {
  const refused = messageIds.filter((id) => policy.refuse.includes(id));
  if (refused.length > 0) return { confirm: false, why: `${refused.join(', ')} ${refused.length > 1 ? 'are' : 'is'} on the refuse list` };
  const unknown = messageIds.filter((id) => !policy.confirm.includes(id));
  if (unknown.length > 0 || messageIds.length === 0) return { confirm: false, why: `${unknown.join(', ') || 'a message without an id'} ${unknown.length > 1 ? 'are' : 'is'} not on the confirm list` };
  return { confirm: true, why: `${messageIds.join(', ')} on the confirm list` };
}

/**
 * Follows a placement or modification through IBKR's order reply messages: each message is
 * confirmed (`POST /iserver/reply/{id}` `{"confirmed": true}`) when the policy allows it, else
 * declined (`{"confirmed": false}`, which discards the order) and reported as a refusal with
 * IBKR's own words. A lost answer to a confirmation is an unknown outcome like a lost placement.
 */
export async function settleReplies(client: IbkrClient, first: Answer, policy: ReplyPolicy, what: string): Promise<IbkrOrderAck> {
  let answer = first;
  for (let round = 0; round <= IBKR_MAX_REPLIES; round++) {
    const rows = Array.isArray(answer) ? answer : [answer];
    const question = rows.find((r): r is IbkrReplyMessage => typeof (r as IbkrReplyMessage).id === 'string' && Array.isArray((r as IbkrReplyMessage).message));
    if (!question) {
      const ack = rows.find((r): r is IbkrOrderAck => (r as IbkrOrderAck).order_id !== undefined);
      if (!ack) throw new BrokerError('unknown_outcome', `${what}: the gateway answered without an order id or a question; the order may have been taken`, 'ibkr', { code: 'no_order_id' });
      return ack;
    }
    const text = (question.message ?? []).join(' ').replace(/\s+/g, ' ').trim();
    const ids = question.messageIds ?? [];
    const decision = replyDecision(policy, ids);
    if (!decision.confirm) {
      await client.json({ method: 'POST', path: `/iserver/reply/${encodeURIComponent(question.id)}`, json: { confirmed: false }, write: true, order: true }).catch(() => undefined);
      throw new BrokerError('rejected', `${what}: IBKR asked "${text}" [${ids.join(', ')}] and ptexec declined (${decision.why})`, 'ibkr', {
        code: ids[0] ?? 'order_reply',
        hint: 'if this order is intended, add the message id to brokers.ibkr.order_replies.confirm in config.json, or change the precaution in IBKR (Settings → Order Presets)',
      });
    }
    answer = await client.json<Answer>({ method: 'POST', path: `/iserver/reply/${encodeURIComponent(question.id)}`, json: { confirmed: true }, write: true, order: true });
  }
  throw new BrokerError('unknown_outcome', `${what}: IBKR asked more than ${IBKR_MAX_REPLIES} questions in turn; the order may have been taken`, 'ibkr', { code: 'too_many_replies' });
}
