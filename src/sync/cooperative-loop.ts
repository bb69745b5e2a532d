import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

const SLICE_MS = 8;

/**
 * Runs a synchronous step for each item, yielding to the event loop every few milliseconds. Small-file
 * filesystem work (lstat, hashing a 2 KB resource) is 5-10x faster with synchronous calls than through the
 * libuv thread pool; the slices keep the process responsive (health probes, signals) while it runs.
 */
export async function forEachCooperatively<T>(items: Iterable<T>, step: (item: T) => void): Promise<void> {
  let sliceStart = performance.now();
  for (const item of items) {
    step(item);
    if (performance.now() - sliceStart > SLICE_MS) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
}

/** Iterates an array that may grow while it is iterated (a breadth-first work queue). */
export function* drain<T>(queue: T[]): Generator<T> {
  for (let i = 0; i < queue.length; i += 1) yield queue[i] as T;
}
