/**
 * @module main/heap-growth
 * How much garbage V8 may pile up before a full collection. V8 lets the old generation grow to
 * up to about four times what the last full collection kept when collections are cheap next to
 * the program's allocation. Accepting batches promotes about 20 MB/s of short-lived objects (a
 * request lives across the awaits of its transaction, longer than a young-generation cycle), so
 * the API thread's heap went from 58 MB live to 180 MB committed between two collections, and the
 * process to about 400 MB resident (npm run bench -- --big). A fixed factor of 1.5 keeps it near
 * 280 MB for a few percent of throughput (README, Performance). V8's flags are per process: this
 * also applies to the dispatch thread, which starts after it.
 */
import { setFlagsFromString } from 'node:v8';

/** Applies TIDINGS_HEAP_GROWTH; 0 leaves V8's own choice. Call before the work starts. */
export function applyHeapGrowth(percent: number): void {
  // Read by V8 at every full collection, when it sets the next limit, so setting it now is enough.
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
