import { ADMIN_TYPES } from './wire-facts.js';

export interface SentMessage<F> {
  seq: number;
  msgType: string;
  fields?: F;
  sentAt: number;
}

export type ResendStep<F> = { gapFill: { seq: number; newSeqNo: number } } | { resend: SentMessage<F> & { fields: F } };

/**
 * How a ResendRequest for `begin`..`end` is answered from the messages kept: application
 * messages again (the caller adds PossDupFlag=Y and OrigSendingTime), and each run of admin
 * messages, or of messages no longer kept, as one SequenceReset-GapFill to the next sequence
 * number worth sending (admin messages are never resent: a stale Heartbeat or Logon means nothing).
 * Application messages sent before `notBefore` (an earlier day's orders) are gap-filled too: an
 * order of yesterday is not to be worked today.
 */
export function resendPlan<F>(kept: readonly SentMessage<F>[], begin: number, end: number, notBefore = Number.NEGATIVE_INFINITY): ResendStep<F>[] {
  const bySeq = new Map(kept.map((s) => [s.seq, s]));
  const steps: ResendStep<F>[] = [];
  let gapStart: number | undefined;
  const closeGap = (next: number) => {
    if (gapStart !== undefined) steps.push({ gapFill: { seq: gapStart, newSeqNo: next } });
    gapStart = undefined;
  };
  for (let seq = begin; seq <= end; seq++) {
    const sent = bySeq.get(seq);
    if (!sent || ADMIN_TYPES.has(sent.msgType) || sent.fields === undefined || sent.sentAt < notBefore) {
      gapStart ??= seq;
      continue;
    }
    closeGap(seq);
    steps.push({ resend: sent as SentMessage<F> & { fields: F } });
  }
  closeGap(end + 1);
  return steps;
}
