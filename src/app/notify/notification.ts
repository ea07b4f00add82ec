import type { NotifyEventName } from './notify-config.js';

/** Something worth telling a person who is not watching: a title, a plain-text body, and the facts as JSON. */
export interface Notification {
  event: NotifyEventName;
  title: string;
  text: string;
  /** Sent as is to the JSON webhook (snake_case keys); the other channels send title and text. */
  data: Record<string, unknown>;
  /** Alarms (a halt, a tripped breaker, a login needed) are sent urgently where the channel can say so. */
  urgent?: boolean;
}
