import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what survived its last full collection, in
 * percent, for `ptexec watch`. Left to itself V8 picks a factor of up to 4 when collecting is
 * cheap next to the work: replaying a finished 50,000-leg run, whose live set is 75–80 MiB (the
 * legs, orders and samples the dashboard keeps; decoded events are garbage a batch later), it let
 * the heap reach about 300 MiB before collecting again (peak RSS 340–410 MiB; NDJSON 360 MiB).
 * At 30% a full collection comes sooner (peak RSS about 200 MiB for the dashboard, 240 MiB for
 * `--json`, at about the same CPU, bench/scaling.js). This is not a heap limit: the heap still
 * grows as far as the live set needs, only the garbage allowed on top of it is smaller.
 */
const WATCH_HEAP_GROWTH_PERCENT = 30;

/** Call once, before the replay: the setting is read at each full collection, for the rest of the process. */
export function boundHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${WATCH_HEAP_GROWTH_PERCENT}`);
}
