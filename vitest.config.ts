import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    disableConsoleIntercept: true,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Three workers on two cores (vitest's default is one worker there): much of the suite waits
    // rather than computes (the Kite emulator's rate limits, a real-time paper run, processes
    // being started and stopped), and no test depends on how busy the machine is. A worker runs
    // file after file without restarting, so Node, the transformed sources and the CLI bundle
    // load once per worker rather than once per file; no test mocks modules or leaves globals
    // changed.
    maxWorkers: 3,
    isolate: false,
    setupFiles: ['test/support/calendars.ts'],
    // Ink renders only the last frame when it thinks it runs in CI; the dashboard tests check
    // what a user's terminal shows, so the test processes must not look like CI to it.
    env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
    // CLI tests run the built bundle in-process (test/cli/in-process.ts): Node loads it as the
    // launcher does, so that oclif's own imports of the command files share its modules.
    server: { deps: { external: [/\/dist\/cli\//] } },
  },
});
