// A run of N × its legs from a finished synthetic run, for the read commands of the scaling bench
// when rebalancing that many legs costs too long: each event of a leg is recorded again for the
// leg `index + k × legs` (k = 1 … N − 1) on its own synthetic instrument, with its own order and
// trade ids, through the store (so every projection is built as a run builds it), in the run's
// own order. The run is recorded once: its plan lists every leg. No paper account comes with it:
// for tca, settlement and watch (`bench/scaling.js --widen`).
//   node bench/support/widen-run.js <from.db> <to.db> <times>
import { rmSync } from 'node:fs';
import { openDatabase } from '../../dist/app/database.js';
import { syntheticSymbol } from './synthetic-universe.js';

const [from, to, timesArg] = process.argv.slice(2);
const times = Number(timesArg);
rmSync(to, { force: true });
rmSync(`${to}-wal`, { force: true });
const source = openDatabase(from, { readonly: true });
const events = source.events();
source.close();
const planned = events.find((e) => e.type === 'run.planned');
const legs = planned.payload.legs.length;
const moved = (text, k) =>
  text
    .replace(/SYN(\d{5})/g, (_, n) => syntheticSymbol(Number(n) - 1 + k * legs))
    // Order ids end in L<leg>[C<child>], both in base 36.
    .replace(/L([0-9a-z]+)(C[0-9a-z]+)?"/g, (_, n, c) => `L${(parseInt(n, 36) + k * legs).toString(36)}${c ?? ''}"`)
    .replace(/"(leg|index)":(\d+)/g, (_, key, n) => `"${key}":${Number(n) + k * legs}`)
    .replace(/"(tradeId|brokerOrderId)":"([^"]+)"/g, (_, key, id) => `"${key}":"${id}.${k}"`);

// A new database, the events in the run's own order: each leg's events followed by its copies'.
const store = openDatabase(to);
let batch = [];
const flush = () => {
  if (batch.length) store.append(batch);
  batch = [];
};
const runLevel = (e) => e.runId === null || e.type === 'run.created' || e.type === 'run.status' || e.type === 'account.snapshot' || (e.type === 'risk.checked' && e.payload.scope === 'run');
for (const e of events) {
  if (e.type === 'run.planned') {
    const all = [...planned.payload.legs];
    for (let k = 1; k < times; k++) all.push(...JSON.parse(moved(JSON.stringify(planned.payload.legs), k)));
    batch.push({ runId: e.runId, type: e.type, payload: { ...planned.payload, legs: all }, marketTs: e.marketTs });
  } else if (runLevel(e)) {
    batch.push({ runId: e.runId, type: e.type, payload: e.payload, marketTs: e.marketTs });
  } else {
    batch.push({ runId: e.runId, type: e.type, payload: e.payload, marketTs: e.marketTs });
    for (let k = 1; k < times; k++) batch.push({ runId: e.runId, type: e.type, payload: JSON.parse(moved(JSON.stringify(e.payload), k)), marketTs: e.marketTs });
  }
  if (batch.length >= 20_000) flush();
}
flush();
store.close();
console.log(`widened ${legs} legs × ${times}`);
