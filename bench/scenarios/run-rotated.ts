import { mkdir, rm } from 'node:fs/promises';
import { settleIo } from '../measure/settle-io.ts';

/** A named timed operation; resolves with its duration in ms. */
export type TimedOp = readonly [name: string, run: () => Promise<number>];

/**
 * Runs one round of timed operations, starting at a different one each run so that slow drifts of a
 * shared machine do not always hit the same tool. Each op gets the same I/O settling first.
 */
export async function runRotated(
  ops: readonly TimedOp[],
  run: number,
  samples: Record<string, number[]>,
  dropCaches: boolean,
): Promise<void> {
  for (let k = 0; k < ops.length; k++) {
    const op = ops[(run + k) % ops.length];
    if (op === undefined) continue;
    await settleIo(dropCaches);
    const ms = await op[1]();
    const list = samples[op[0]] ?? [];
    list.push(ms);
    samples[op[0]] = list;
  }
}

/** Empties (or creates) a directory; untimed setup. */
export async function resetDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}
