/**
 * Crash injection for the recovery tests: `PTEXEC_FAILPOINT=order-intent-recorded:3` kills the
 * process (SIGKILL, no clean-up) the third time the runtime passes that point. Unset, it costs
 * nothing.
 */
export function failpointFromEnv(env: NodeJS.ProcessEnv = process.env): ((name: string) => void) | undefined {
  const spec = env.PTEXEC_FAILPOINT;
  if (!spec) return undefined;
  const [target, nth] = spec.split(':');
  const at = Number(nth ?? '1');
  let seen = 0;
  return (name) => {
    if (name !== target) return;
    seen += 1;
    if (seen === at) process.kill(process.pid, 'SIGKILL');
  };
}
