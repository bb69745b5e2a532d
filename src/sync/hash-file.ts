import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

const CHUNK = 1 << 20;

/** sha256 hex of a file's content; never follows a symlink at the final component (O_NOFOLLOW). */
export async function hashFile(absPath: string): Promise<string> {
  const handle = await open(absPath, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const hash = createHash('sha256');
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
