import { writeFile } from 'node:fs/promises';
import { runCommand } from './run-timed.ts';

/**
 * Called before every timed operation, engine and baseline alike, so both get the same page-cache
 * treatment: `sync` flushes dirty pages left by the previous step (so its writeback is not billed to
 * the next one); with `dropCaches` the page cache is also emptied (root only; off by default because it
 * slows everyone else on a shared machine). Default: warm cache for both.
 */
export async function settleIo(dropCaches: boolean): Promise<void> {
  await runCommand('sync', []);
  if (dropCaches) await writeFile('/proc/sys/vm/drop_caches', '3\n');
}
