import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

const CHUNK = 1 << 20;
const IN_MEMORY_LIMIT = 8 << 20;

/** sha256 hex of a file's content; never follows a symlink at the final component (O_NOFOLLOW). */
export async function hashFile(absPath: string): Promise<string> {
  const handle = await open(absPath, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const hash = createHash('sha256');
    if ((await handle.stat()).size <= IN_MEMORY_LIMIT)
      return hash.update(await handle.readFile()).digest('hex');
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}

export function hashBytes(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

const syncBuffer = Buffer.allocUnsafe(CHUNK);

/**
 * Synchronous variant for batches of small files (see `forEachCooperatively`); same O_NOFOLLOW rule. Uses one
 * shared buffer, so it must not be interleaved with itself (it is synchronous, so it cannot be).
 */
export function hashFileSync(absPath: string): string {
  const fd = openSync(absPath, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const hash = createHash('sha256');
    const size = fstatSync(fd).size;
    let offset = 0;
    while (offset < size) {
      const n = readSync(fd, syncBuffer, 0, Math.min(CHUNK, size - offset), null);
      if (n === 0) break;
      hash.update(syncBuffer.subarray(0, n));
      offset += n;
    }
    return hash.digest('hex');
  } finally {
    closeSync(fd);
  }
}
