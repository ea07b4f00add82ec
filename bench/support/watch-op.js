// `ptexec watch` of a finished run on a terminal, as the scaling bench measures it: the run's
// events read from the database (read-only, in the batches `watch` reads) into the live dashboard,
// drawn on an 80×24 stand-in terminal until the replay reaches the run's end. Reports its CPU
// time and peak memory on stderr as scaling-op.js does.
//   node bench/support/watch-op.js   (the database from PTEXEC_DB; its latest run)
import { EventEmitter } from 'node:events';

// `ptexec watch` puts React in its production build before React loads (IO.screen); so does this.
process.env.NODE_ENV ??= 'production';
const [{ openDatabase }, { findRunState }, { runDashboard, PollingEventSource }, calendar, { supplyShippedCalendars }, { boundHeapGrowth }] = await Promise.all([
  import('../../dist/app/database.js'),
  import('../../dist/store/queries.js'),
  import('../../dist/ui/run-dashboard.js'),
  import('../../dist/market/calendar/index.js'),
  import('../../dist/app/loaders/calendars.js'),
  import('../../dist/ui/heap-growth.js'),
]);
// As `ptexec watch` does before it reads the run (app/watch-service.ts).
boundHeapGrowth();
supplyShippedCalendars();

class FakeTerminal extends EventEmitter {
  isTTY = true;
  columns = 80;
  rows = 24;
  bytes = 0;
  write = (chunk) => {
    this.bytes += chunk.length;
    return true;
  };
}

process.on('exit', () => {
  const cpu = process.cpuUsage();
  process.stderr.write(`\nSCALING ${JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: process.resourceUsage().maxRSS })}\n`);
});
const store = openDatabase(process.env.PTEXEC_DB, { readonly: true });
// As `ptexec watch` finds the run: its id and status, not the whole row (its plan is 34 MB at 50k legs).
const run = findRunState(store);
const terminal = new FakeTerminal();
const keyboard = Object.assign(new EventEmitter(), { isTTY: false });
// The poll interval and batch `ptexec watch` uses (app/watch-service.ts).
const result = await runDashboard({ source: new PollingEventSource(store, run.run_id, { intervalMs: 150, batch: 1000 }), stdout: terminal, stdin: keyboard, color: true, readOnly: true, closeWhenEnded: true, calendar });
store.close();
process.stderr.write(`watched run ${run.run_id}: exit ${result.exit}, ${(terminal.bytes / 1024).toFixed(0)} KiB drawn\n`);
