/**
 * One attempt to deliver a notification to a channel (README "Notifications"). Never the secret
 * nor the channel's URL (a Slack or Telegram URL carries its token): the channel's name only.
 */
export interface NotificationAttempt {
  channel: string;
  /** What was notified: `run.finished`, `kill_switch.on`, `test`, … */
  event: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** The receiver's HTTP status or SMTP response code, when it answered. */
  status?: number;
  /** Why it failed (a timeout, a refused connection, the status), never a secret. */
  error?: string;
  /** No further attempt follows (delivered, or given up). */
  final: boolean;
}

export interface NotificationSent {
  type: 'notification.sent';
  payload: NotificationAttempt;
}

export interface NotificationFailed {
  type: 'notification.failed';
  payload: NotificationAttempt;
}

export type NotificationEvent = NotificationSent | NotificationFailed;
