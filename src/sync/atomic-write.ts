import { createHash } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  renameSync,
  rmdirSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { type FileHandle, open, rename, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isCode } from './fs-entry.ts';
import { baseNameOf, parentOf } from './safe-path.ts';
import type { ManifestEntry, WriteOp } from './sync-plan.ts';
import { tempNameFor } from './temp-name.ts';

/** Files up to this size are copied through memory with synchronous calls; larger ones are streamed. */
export const IN_MEMORY_LIMIT = 8 << 20;
const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW;
const CHUNK = 1 << 20;

/**
 * `open(path, flags, mode)` is subject to the process umask. Instead of a chmod per file, learn once per mode
 * whether the umask strips bits, and chmod only then.
 */
export class ModeKeeper {
  readonly #isKept = new Map<number, boolean>();

  needsChmod(mode: number, probePath: string): boolean {
    let kept = this.#isKept.get(mode);
    if (kept === undefined) {
      kept = (lstatSync(probePath).mode & 0o777) === mode;
      this.#isKept.set(mode, kept);
    }
    return !kept;
  }
}

/**
 * Writes one small file: read the source once (O_NOFOLLOW), hash those bytes, write them to a temporary file
 * next to the target, rename it over the target. Synchronous on purpose (see `forEachCooperatively`).
 */
export function writeAtomicallySync(
  op: WriteOp,
  sourceDir: string,
  target: string,
  modes: ModeKeeper,
  beforeRename?: () => void,
): ManifestEntry {
  const data =
    op.origin.kind === 'generated'
      ? Buffer.from(op.origin.content)
      : readWhole(join(sourceDir, op.origin.sourcePath));
  const tmp = join(parentOf(target), tempNameFor(baseNameOf(target)));
  const fd = openTempSync(tmp, op.mode);
  try {
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
    if (modes.needsChmod(op.mode, tmp)) fchmodSync(fd, op.mode);
  } finally {
    closeSync(fd);
  }
  beforeRename?.();
  if (op.replacesDirectory) ignoreMissing(() => rmdirSync(target));
  renameSync(tmp, target);
  return { hash: createHash('sha256').update(data).digest('hex'), size: data.length, mode: op.mode };
}

function readWhole(src: string): Buffer {
  const fd = openSync(src, READ_FLAGS);
  try {
    const size = fstatSync(fd).size;
    const data = Buffer.allocUnsafe(size);
    let offset = 0;
    while (offset < size) {
      const n = readSync(fd, data, offset, size - offset, null);
      if (n === 0) break;
      offset += n;
    }
    return offset === size ? data : data.subarray(0, offset);
  } finally {
    closeSync(fd);
  }
}

function openTempSync(tmp: string, mode: number): number {
  try {
    return openSync(tmp, WRITE_FLAGS, mode);
  } catch (e: unknown) {
    if (!isCode(e, 'ELOOP')) throw e;
    unlinkSync(tmp); // something planted a symlink at our temp name: remove the link, never follow it
    return openSync(tmp, WRITE_FLAGS, mode);
  }
}

function ignoreMissing(op: () => void): void {
  try {
    op();
  } catch (e: unknown) {
    if (!isCode(e, 'ENOENT')) throw e;
  }
}

/** The streaming variant for large files: same temp + rename protocol, hashed while copied. */
export async function writeAtomically(
  op: WriteOp,
  sourceDir: string,
  target: string,
  modes: ModeKeeper,
  beforeRename?: () => void,
): Promise<ManifestEntry> {
  if (op.origin.kind === 'generated') return writeAtomicallySync(op, sourceDir, target, modes, beforeRename);
  const tmp = join(parentOf(target), tempNameFor(baseNameOf(target)));
  const out = await openTemp(tmp, op.mode);
  let copied: { hash: string; size: number };
  try {
    copied = await copyHashing(join(sourceDir, op.origin.sourcePath), out);
    if (modes.needsChmod(op.mode, tmp)) await out.chmod(op.mode);
  } finally {
    await out.close();
  }
  beforeRename?.();
  if (op.replacesDirectory)
    await rmdir(target).catch((e: unknown) => (isCode(e, 'ENOENT') ? undefined : Promise.reject(e)));
  await rename(tmp, target);
  return { ...copied, mode: op.mode };
}

async function openTemp(tmp: string, mode: number): Promise<FileHandle> {
  try {
    return await open(tmp, WRITE_FLAGS, mode);
  } catch (e: unknown) {
    if (!isCode(e, 'ELOOP')) throw e;
    await unlink(tmp);
    return open(tmp, WRITE_FLAGS, mode);
  }
}

async function copyHashing(src: string, out: FileHandle): Promise<{ hash: string; size: number }> {
  const input = await open(src, READ_FLAGS);
  try {
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(CHUNK);
    let size = 0;
    for (;;) {
      const { bytesRead } = await input.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      hash.update(chunk);
      await out.write(chunk);
      size += bytesRead;
    }
    return { hash: hash.digest('hex'), size };
  } finally {
    await input.close();
  }
}
