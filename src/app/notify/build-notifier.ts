import type { Config } from '../../lib/config.js';
import { configFilePath } from '../../lib/paths.js';
import type { Store } from '../../store/store.js';
import { configuredChannels } from './channels.js';
import { Notifier } from './notifier.js';
import { parseNotifyConfig } from './notify-config.js';

/** How long a command waits at its end for notifications under way, unless `notify.flush_ms` says otherwise. */
export const DEFAULT_FLUSH_MS = 5_000;

/** The notifier of config.json's `notify` section, recording every attempt in `store`. */
export function buildNotifier(config: Config, env: NodeJS.ProcessEnv, store: Store): Notifier {
  const notify = parseNotifyConfig(config.notify, configFilePath(env));
  return new Notifier(configuredChannels(notify, env), (events) => store.append(events), notify.flush_ms ?? DEFAULT_FLUSH_MS);
}
