import { type Socket, connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { TimerHandle } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import { type FixField, FixFramingError, FixMessage, FixParser, encodeFix, fixTimestamp } from './codec.js';
import type { FixSessionOptions } from './fix-session-options.js';
import { type Settle, settleWithin } from './deadline.js';
import { resendPlan } from './fix-resend.js';
import { HeartbeatMonitor } from './heartbeat-monitor.js';
import { BEGIN_STRING, MSG, SESSION_REJECT_REASONS, TAG } from './wire-facts.js';

type Phase = 'idle' | 'connecting' | 'logon_sent' | 'active' | 'logout_sent' | 'stopped';

/**
 * A FIX 4.4 initiator session: Logon (with Username/Password when given) and Logout, heartbeats
 * and TestRequest (a counterparty silent for a heartbeat interval and a bit is sent a TestRequest;
 * silent for another interval, it is disconnected), sequence numbers kept in the database across
 * restarts, ResendRequest both ways (ours for a gap, answered by the counterparty; theirs
 * answered from the messages we stored: application messages again with PossDupFlag=Y, admin
 * messages collapsed into SequenceReset-GapFill), and reconnection with exponential backoff.
 * Framing errors, CompID mismatches and a too-low MsgSeqNum without PossDupFlag end the
 * connection, as the specification asks.
 */
export class FixSession {
  private socket?: Socket;
  private parser = new FixParser(BEGIN_STRING);
  private phase: Phase = 'idle';
  private seqs: { nextOut: number; nextIn: number };
  private readonly heartbeats: HeartbeatMonitor;
  private timer?: TimerHandle;
  private reconnectTimer?: TimerHandle;
  private attempts = 0;
  /** The MsgSeqNum up to which a ResendRequest of ours is still being answered. */
  private resendUntil?: number;
  /** Callers waiting for the session to be logged on: `start()` and `whenActive()`. */
  private logonWaiters: Settle[] = [];
  private everUp = false;
  private lastError?: BrokerError;
  private testRequests = new Map<string, Settle>();
  private testRequestSeq = 0;

  constructor(private readonly options: FixSessionOptions) {
    this.seqs = options.store.sequences();
    this.heartbeats = new HeartbeatMonitor(options.clock, options.heartbeatMs, {
      heartbeat: () => this.write(MSG.Heartbeat, [], false),
      testRequest: () => this.write(MSG.TestRequest, [[TAG.TestReqID, `HB${++this.testRequestSeq}`]], false),
      timedOut: () => {
        this.lastError = new BrokerError('unavailable', `FIX session ${this.options.name}: no answer to a TestRequest within the heartbeat interval`, 'fix');
        this.socket?.destroy();
      },
    });
  }

  get isActive(): boolean {
    return this.phase === 'active';
  }

  /** The next sequence numbers (for tests and status). */
  sequences(): { nextOut: number; nextIn: number } {
    return { ...this.seqs };
  }

  /** Connects and logs on; resolves when the counterparty's Logon arrives, rejects on refusal or timeout. */
  start(): Promise<void> {
    if (this.phase === 'active') return Promise.resolve();
    const logged = new Promise<void>((resolve, reject) => this.logonWaiters.push({ resolve, reject }));
    if (this.phase === 'idle' || this.phase === 'stopped') {
      this.phase = 'idle';
      this.open();
    }
    return logged;
  }

  /** Resolves once the session is logged on (at once when it is); rejects when it was refused or stays down for `timeoutMs`. */
  whenActive(timeoutMs: number): Promise<void> {
    if (this.phase === 'active') return Promise.resolve();
    if (this.phase === 'stopped') return Promise.reject(this.notActive());
    return settleWithin(this.options.clock, timeoutMs, () => this.notActive(), (waiter) => {
      this.logonWaiters.push(waiter);
      return () => (this.logonWaiters = this.logonWaiters.filter((w) => w !== waiter));
    });
  }

  /** Sends an application message; throws `unavailable` (nothing sent) when the session is not logged on. */
  send(msgType: string, body: FixField[]): number {
    if (this.phase !== 'active') throw this.notActive();
    return this.write(msgType, body, true);
  }

  /**
   * A TestRequest round trip: resolves when the counterparty's Heartbeat answers it, by which
   * time everything it sent before has been processed (and any gap asked for again).
   */
  roundTrip(timeoutMs: number): Promise<void> {
    if (this.phase !== 'active') return Promise.reject(this.notActive());
    const id = `RT${++this.testRequestSeq}`;
    const late = () => new BrokerError('unavailable', `FIX session ${this.options.name}: no Heartbeat answered TestRequest ${id} within ${timeoutMs} ms`, 'fix');
    const answered = settleWithin(this.options.clock, timeoutMs, late, (waiter) => {
      this.testRequests.set(id, waiter);
      return () => this.testRequests.delete(id);
    });
    this.write(MSG.TestRequest, [[TAG.TestReqID, id]], false);
    return answered;
  }

  /** Resolves when no ResendRequest of ours is outstanding (now, or once the gap is filled). */
  async recovered(timeoutMs: number): Promise<void> {
    const start = this.options.clock.now();
    while (this.resendUntil !== undefined && this.options.clock.now() - start < timeoutMs) await this.options.clock.sleep(5);
  }

  /** Logs out (waiting briefly for the counterparty's Logout) and stays down. */
  async stop(): Promise<void> {
    const wasActive = this.phase === 'active';
    this.clearTimers();
    if (wasActive && this.socket) {
      this.phase = 'logout_sent';
      const closed = new Promise<void>((resolve) => this.socket!.once('close', () => resolve()));
      this.write(MSG.Logout, [], false);
      await Promise.race([closed, this.options.clock.sleep(1_000)]);
    }
    this.phase = 'stopped';
    this.socket?.destroy();
    this.socket = undefined;
    for (const w of this.logonWaiters.splice(0)) w.reject(new BrokerError('unavailable', `FIX session ${this.options.name} was stopped`, 'fix'));
  }

  private notActive(): BrokerError {
    return this.lastError && (!this.everUp || this.lastError.kind === 'auth')
      ? this.lastError
      : new BrokerError('unavailable', `FIX session ${this.options.name} is not logged on${this.lastError ? ` (${this.lastError.message})` : ''}; it reconnects by itself`, 'fix');
  }

  private open(): void {
    const { host, port, tls } = this.options;
    this.phase = 'connecting';
    this.parser = new FixParser(BEGIN_STRING);
    const socket = tls ? tlsConnect({ host, port, ca: tls.ca, servername: tls.servername ?? host }) : tcpConnect({ host, port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on(tls ? 'secureConnect' : 'connect', () => this.logon());
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => {
      this.lastError ??= new BrokerError('unavailable', `FIX session ${this.options.name}: ${host}:${port}: ${err.message}`, 'fix');
    });
    socket.on('close', () => {
      if (this.socket === socket) this.onClosed();
    });
  }

  private logon(): void {
    if (this.options.resetOnLogon) {
      this.options.store.reset();
      this.seqs = { nextOut: 1, nextIn: 1 };
    }
    this.phase = 'logon_sent';
    const body: FixField[] = [
      [TAG.EncryptMethod, '0'],
      [TAG.HeartBtInt, String(Math.max(1, Math.round(this.options.heartbeatMs / 1000)))],
    ];
    if (this.options.resetOnLogon) body.push([TAG.ResetSeqNumFlag, 'Y']);
    if (this.options.username) body.push([TAG.Username, this.options.username]);
    if (this.options.password) body.push([TAG.Password, this.options.password]);
    this.write(MSG.Logon, body, false);
    const timeout = this.options.logonTimeoutMs ?? 10_000;
    this.schedule(timeout, () => {
      if (this.phase === 'logon_sent') this.fail(new BrokerError('unavailable', `FIX session ${this.options.name}: no Logon answer within ${timeout} ms`, 'fix'));
    });
  }

  private write(msgType: string, body: FixField[], application: boolean, override?: { seq: number; possDup?: { origSendingTime: number } }): number {
    const now = this.options.clock.now();
    const seq = override?.seq ?? this.seqs.nextOut;
    const header: FixField[] = [
      [TAG.MsgType, msgType],
      [TAG.SenderCompID, this.options.senderCompId],
      [TAG.TargetCompID, this.options.targetCompId],
      [TAG.MsgSeqNum, String(seq)],
    ];
    if (override?.possDup) header.push([TAG.PossDupFlag, 'Y']);
    header.push([TAG.SendingTime, fixTimestamp(now)]);
    if (override?.possDup) header.push([TAG.OrigSendingTime, fixTimestamp(override.possDup.origSendingTime)]);
    if (!override) {
      // Stored before it is written: a crash after the write still answers a ResendRequest for it.
      this.seqs.nextOut = seq + 1;
      this.options.store.recordSent(seq, msgType, application ? body : undefined, now, this.seqs.nextIn);
    }
    this.heartbeats.sent();
    this.socket?.write(encodeFix(BEGIN_STRING, [...header, ...body]), 'latin1');
    return seq;
  }

  private onData(chunk: Buffer): void {
    let messages: FixMessage[];
    try {
      messages = this.parser.push(chunk);
    } catch (err) {
      const reason = err instanceof FixFramingError ? err.message : String(err);
      this.lastError = new BrokerError('protocol', `FIX session ${this.options.name}: ${reason}`, 'fix');
      this.socket?.destroy();
      return;
    }
    for (const m of messages) {
      if (this.phase === 'stopped') return;
      this.onMessage(m);
    }
  }

  private onMessage(m: FixMessage): void {
    this.heartbeats.received();
    if (m.get(TAG.SenderCompID) !== this.options.targetCompId || m.get(TAG.TargetCompID) !== this.options.senderCompId) {
      this.write(MSG.Reject, [[TAG.RefSeqNum, String(m.seq)], [TAG.SessionRejectReason, '9'], [TAG.Text, 'CompID problem']], false);
      this.logoutAndDrop(`a message for ${m.get(TAG.TargetCompID)} from ${m.get(TAG.SenderCompID)}, not ${this.options.senderCompId} from ${this.options.targetCompId}`);
      return;
    }
    if (this.phase === 'logon_sent' && m.type !== MSG.Logon) {
      if (m.type === MSG.Logout) return this.refused(m.get(TAG.Text) ?? 'no reason given');
      return this.logoutAndDrop(`the first message after our Logon was ${m.type}, not a Logon`);
    }
    if (m.type === MSG.SequenceReset && m.get(TAG.GapFillFlag) !== 'Y') {
      // SequenceReset-Reset: the counterparty sets our expected number, whatever its own MsgSeqNum.
      const next = m.num(TAG.NewSeqNo);
      if (next !== undefined && next > this.seqs.nextIn) this.setNextIn(next);
      return;
    }
    const expected = this.seqs.nextIn;
    if (m.seq < expected) {
      if (m.get(TAG.PossDupFlag) === 'Y') return; // already processed: a resend we did not need
      if (m.type === MSG.Logout) return this.onLogout(m);
      return this.logoutAndDrop(`MsgSeqNum too low, expecting ${expected} but received ${m.seq}`);
    }
    if (m.seq > expected) {
      if (m.type === MSG.Logon) this.onLogon(m);
      else if (m.type === MSG.ResendRequest) this.onResendRequest(m);
      else if (m.type === MSG.Logout) return this.onLogout(m);
      else if (m.type === MSG.Heartbeat) this.answered(m.get(TAG.TestReqID));
      if (this.resendUntil === undefined || m.seq > this.resendUntil) {
        // Everything from the gap on is asked for again (EndSeqNo 0 = up to the latest); messages after the gap come back with it.
        if (this.resendUntil === undefined) this.write(MSG.ResendRequest, [[TAG.BeginSeqNo, String(expected)], [TAG.EndSeqNo, '0']], false);
        this.resendUntil = m.seq;
      }
      return;
    }
    if (m.type === MSG.SequenceReset) {
      const next = m.num(TAG.NewSeqNo) ?? expected + 1;
      this.setNextIn(Math.max(next, expected + 1));
      this.checkRecovered();
      return;
    }
    this.setNextIn(expected + 1);
    switch (m.type) {
      case MSG.Logon:
        this.onLogon(m);
        break;
      case MSG.Heartbeat:
        this.answered(m.get(TAG.TestReqID));
        break;
      case MSG.TestRequest:
        this.write(MSG.Heartbeat, [[TAG.TestReqID, m.get(TAG.TestReqID) ?? '']], false);
        break;
      case MSG.ResendRequest:
        this.onResendRequest(m);
        break;
      case MSG.Reject: {
        const reason = [SESSION_REJECT_REASONS[m.get(TAG.SessionRejectReason) ?? ''], m.get(TAG.RefTagID) ? `tag ${m.get(TAG.RefTagID)}` : undefined, m.get(TAG.Text)].filter(Boolean).join(': ');
        this.options.onSessionReject?.(m.num(TAG.RefSeqNum) ?? 0, m.get(TAG.RefMsgType), reason || 'no reason given');
        break;
      }
      case MSG.Logout:
        this.onLogout(m);
        break;
      default:
        if (this.phase === 'active') this.options.onApplication(m);
    }
    this.checkRecovered();
  }

  private answered(testReqId: string | undefined): void {
    if (!testReqId) return;
    this.testRequests.get(testReqId)?.resolve();
    this.testRequests.delete(testReqId);
  }

  private setNextIn(next: number): void {
    this.seqs.nextIn = next;
    this.options.store.setSequences(this.seqs);
  }

  private checkRecovered(): void {
    if (this.resendUntil !== undefined && this.seqs.nextIn > this.resendUntil) {
      this.resendUntil = undefined;
      this.options.onState?.({ type: 'recovered', reason: `FIX session ${this.options.name}: the sequence gap was filled by a resend` });
    }
  }

  private onLogon(m: FixMessage): void {
    if (this.phase !== 'logon_sent') return;
    if (m.get(TAG.ResetSeqNumFlag) === 'Y' && !this.options.resetOnLogon) {
      this.setNextIn(m.seq + 1);
    }
    this.phase = 'active';
    this.attempts = 0;
    const reconnected = this.everUp;
    this.everUp = true;
    this.lastError = undefined;
    this.heartbeats.start();
    for (const w of this.logonWaiters.splice(0)) w.resolve();
    this.options.onState?.({ type: 'up', reason: reconnected ? `FIX session ${this.options.name} logged on again` : `FIX session ${this.options.name} logged on` });
  }

  /** Answers a ResendRequest: stored application messages again with PossDupFlag=Y, runs of admin (or unknown) messages as one SequenceReset-GapFill. */
  private onResendRequest(m: FixMessage): void {
    const last = this.seqs.nextOut - 1;
    const requestedEnd = m.num(TAG.EndSeqNo) ?? 0;
    const begin = m.num(TAG.BeginSeqNo) ?? 1;
    const end = requestedEnd === 0 || requestedEnd > last ? last : requestedEnd;
    const startOfDay = Math.floor(this.options.clock.now() / 86_400_000) * 86_400_000;
    for (const step of resendPlan(this.options.store.sent(begin, end), begin, end, startOfDay)) {
      if ('gapFill' in step) this.write(MSG.SequenceReset, [[TAG.GapFillFlag, 'Y'], [TAG.NewSeqNo, String(step.gapFill.newSeqNo)]], false, { seq: step.gapFill.seq, possDup: { origSendingTime: this.options.clock.now() } });
      else this.write(step.resend.msgType, step.resend.fields, true, { seq: step.resend.seq, possDup: { origSendingTime: step.resend.sentAt } });
    }
  }

  private onLogout(m: FixMessage): void {
    if (this.phase === 'logout_sent') {
      this.socket?.end();
      return;
    }
    const text = m.get(TAG.Text) ?? 'no reason given';
    this.write(MSG.Logout, [], false);
    this.lastError = new BrokerError('unavailable', `FIX session ${this.options.name}: the counterparty logged out (${text})`, 'fix');
    this.socket?.end();
  }

  /** A Logout in answer to our Logon: the counterparty refused the credentials or the CompIDs; no reconnect. */
  private refused(text: string): void {
    const err = new BrokerError('auth', `FIX session ${this.options.name}: the counterparty refused the Logon (${text})`, 'fix', {
      hint: `check the session's SenderCompID/TargetCompID in config.json and its password (PTEXEC_FIX_${this.options.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_PASSWORD or the credentials file)`,
    });
    this.lastError = err;
    this.phase = 'stopped';
    this.clearTimers();
    this.socket?.destroy();
    for (const w of this.logonWaiters.splice(0)) w.reject(err);
    this.options.onState?.({ type: 'down', reason: err.message });
  }

  private logoutAndDrop(reason: string): void {
    this.lastError = new BrokerError('protocol', `FIX session ${this.options.name}: ${reason}`, 'fix');
    this.write(MSG.Logout, [[TAG.Text, reason]], false);
    this.socket?.destroy();
  }

  private fail(err: BrokerError): void {
    this.lastError = err;
    this.socket?.destroy();
  }

  private onClosed(): void {
    this.socket = undefined;
    this.clearTimers();
    this.resendUntil = undefined;
    for (const pending of this.testRequests.values()) pending.reject(this.notActive());
    this.testRequests.clear();
    if (this.phase === 'stopped') return;
    const wasUp = this.phase === 'active' || this.phase === 'logout_sent';
    this.phase = 'idle';
    if (!this.everUp && this.logonWaiters.length > 0) {
      const err = this.lastError ?? new BrokerError('unavailable', `FIX session ${this.options.name}: ${this.options.host}:${this.options.port} closed the connection before the Logon`, 'fix');
      this.phase = 'stopped';
      for (const w of this.logonWaiters.splice(0)) w.reject(err);
      return;
    }
    const base = this.options.reconnect?.baseMs ?? 1_000;
    const max = this.options.reconnect?.maxMs ?? 30_000;
    const delay = Math.min(max, base * 2 ** this.attempts++) * (0.5 + (this.options.random ?? Math.random)() / 2);
    const ms = Math.round(delay);
    if (wasUp || this.attempts === 1) this.options.onState?.({ type: 'down', reason: `FIX session ${this.options.name} ${this.lastError?.message ?? 'disconnected'}; reconnecting in ${ms} ms` });
    this.reconnectTimer = this.options.clock.setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.phase === 'idle') this.open();
    }, ms);
  }

  private schedule(ms: number, fn: () => void): void {
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      fn();
    }, ms);
  }

  private clearTimers(): void {
    this.heartbeats.stop();
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    if (this.reconnectTimer) this.options.clock.clearTimeout(this.reconnectTimer);
    this.timer = undefined;
    this.reconnectTimer = undefined;
  }
}
