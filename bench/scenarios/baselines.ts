import { join } from 'node:path';
import { runTimed } from '../measure/run-timed.ts';

/**
 * The tools a user would otherwise use, applied to the same mapping roots the engine syncs
 * (`projects/` and `config/resources/core/`). `dest` is a data directory.
 */
export function timeCopy(sourceDir: string, dest: string): Promise<number> {
  // `cp -a src/projects src/config dest/`: the repository holds nothing else under config/.
  return runTimed('cp', ['-a', join(sourceDir, 'projects'), join(sourceDir, 'config'), `${dest}/`]);
}

/** `rsync -a --delete` of the mapping roots from a checkout into the data directory. */
export function timeRsync(sourceDir: string, dest: string): Promise<number> {
  return runTimed('rsync', [
    '-a',
    '--delete',
    join(sourceDir, 'projects'),
    join(sourceDir, 'config'),
    `${dest}/`,
  ]);
}

/** `rsync -a --delete --checksum`: compares content like the engine's verification pass does. */
export function timeRsyncChecksum(sourceDir: string, dest: string): Promise<number> {
  return runTimed('rsync', [
    '-a',
    '--delete',
    '--checksum',
    join(sourceDir, 'projects'),
    join(sourceDir, 'config'),
    `${dest}/`,
  ]);
}
