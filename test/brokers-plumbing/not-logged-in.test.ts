import { describe, expect, it } from 'vitest';
import '../../src/brokers/index.js';
import { BROKERS_WITH_LOGIN, brokerRegistration } from '../../src/brokers/registry.js';
import { VirtualClock } from '../../src/engine/clock/index.js';
import { describeError } from '../../src/lib/errors.js';

// What a user sees with no session at all: said once what is wrong (the message) and once what to
// do (the hint), with the exit code of a broker that cannot be used (5).
describe('a broker with no session', () => {
  for (const id of BROKERS_WITH_LOGIN) {
    it(`${id}: names the login command in the hint, not twice`, async () => {
      const err = await brokerRegistration(id)!
        .create({ tables: undefined as never, clock: new VirtualClock(), config: {}, env: {}, credentials: { values: {} } })
        .then(() => undefined, (e: unknown) => e);
      const report = describeError(err);
      expect(report.exitCode).toBe(5);
      expect(report.message).toMatch(/not logged in to /);
      expect(report.message).not.toMatch(/ptexec brokers login/);
      expect(report.hint).toMatch(new RegExp(`ptexec brokers login ${id}`));
    });
  }
});
