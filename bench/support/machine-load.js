// The machine's load, reported the same way by every benchmark. On a shared machine a figure
// means little while other work competes for the cores, so each script prints the load average
// before and after (sampled in between too) and, when the machine was busy at any point, says so
// and marks its headline figures "busy" instead of printing them as results.
import { cpus, loadavg } from 'node:os';

/** Busy: the 1-minute load average above half the cores. */
const BUSY_SHARE = 0.5;

/** The load now: the 1- and 5-minute averages, the cores, and whether that is busy. */
export function machineLoad() {
  const cores = cpus().length;
  const [one, five] = loadavg();
  return { cores, one, five, busy: one > cores * BUSY_SHARE };
}

/**
 * Starts watching the load (prints it now): `end()` prints it again, with a BUSY line when it
 * passed half the cores at any sample, and returns whether it did; `headline(text)` is the text of
 * a headline figure, marked "busy" when the machine was.
 */
export function loadWatch(out = console.log) {
  const samples = [machineLoad()];
  const timer = setInterval(() => samples.push(machineLoad()), 2_000);
  timer.unref();
  const describe = (label, l) => `${label}: load average ${l.one.toFixed(2)} (1 min), ${l.five.toFixed(2)} (5 min) on ${l.cores} cores${l.busy ? ' — busy' : ''}`;
  out(describe('load before', samples[0]));
  const watch = {
    get busy() {
      return samples.some((s) => s.busy);
    },
    get highest() {
      return Math.max(...samples.map((s) => s.one));
    },
    headline(text) {
      return watch.busy ? `busy (load up to ${watch.highest.toFixed(1)}): ${text}` : text;
    },
    end() {
      clearInterval(timer);
      const last = machineLoad();
      samples.push(last);
      out(describe('load after', last));
      if (watch.busy) out(`BUSY: the load passed half the ${last.cores} cores (up to ${watch.highest.toFixed(1)}); the figures above are not headline figures (other work shared the CPUs): compare CPU time and ratios measured back to back, or measure again on a quiet machine`);
      return watch.busy;
    },
  };
  return watch;
}
