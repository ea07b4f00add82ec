/**
 * Failure injection for the recovery tests: `PTEXEC_FAILPOINT=order-intent-recorded:3` kills the
 * process (SIGKILL, no clean-up) the third time the runtime passes that point;
 * `…:3:disk-full` makes the disk full there instead (`actions.diskFull`). Unset, it costs nothing.
 */
export function failpointFromEnv(env: NodeJS.ProcessEnv = process.env, actions: { diskFull?: () => void } = {}): ((name: string) => void) | undefined {
  const spec = env.PTEXEC_FAILPOINT;
  if (!spec) return undefined;
  const [target, nth, action = 'kill'] = spec.split(':');
  const at = Number(nth ?? '1');
  let seen = 0;
  return (name) => {
    if (name !== target) return;
    seen += 1;
    if (seen !== at) return;
    if (action === 'disk-full' && actions.diskFull) actions.diskFull();
    else process.kill(process.pid, 'SIGKILL');
  };
}
