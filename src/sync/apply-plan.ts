import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, lstat, open, rename, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { OperatorError, toOperatorError } from '../errors.ts';
import { DirChainGuard } from './dir-chain-guard.ts';
import { isCode } from './fs-entry.ts';
import { createLimiter } from './limiter.ts';
import { SyncReasons } from './reasons.ts';
import { baseNameOf, parentOf } from './safe-path.ts';
import { symlinkInLiveTree } from './sync-errors.ts';
import type { ManifestEntry, SyncPlan, WriteOp } from './sync-plan.ts';
import { tempNameFor } from './temp-name.ts';

export interface ApplyOptions {
  /** The checked-out worktree the plan's source paths are relative to. */
  readonly sourceDir: string;
  readonly dataDir: string;
  /** Parallel filesystem operations (default 16). */
  readonly concurrency?: number;
}

export interface ApplyOutcome {
  /** Manifest entries of everything written or chmodded (hash computed from the bytes written). */
  readonly written: Map<string, ManifestEntry>;
  readonly bytesWritten: number;
}

const IN_MEMORY_LIMIT = 8 << 20;
const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW;

/**
 * The only code that changes the gateway data directory. Order: delete files, remove emptied directories
 * (deepest first, only when empty), then write files and fix modes. Every write goes to a temporary file in
 * the target's directory and is renamed over the target, so the gateway sees the old or the new content,
 * never a torn file. No parent component is ever a symlink (checked with lstat); source files are opened
 * with O_NOFOLLOW. Failures become ApplyFailed (transient) unless already typed.
 *
 * No fsync: rename gives atomic visibility to readers of the running system, which is what the gateway
 * needs; a process kill (the common crash) loses nothing already written to the page cache. Only a power
 * loss can leave unflushed files, and the agent's verification pass at start (full hash comparison) repairs
 * that. Per-file fsync would cost an order of magnitude on cold syncs of 100k files.
 */
export async function applyPlan(plan: SyncPlan, options: ApplyOptions): Promise<ApplyOutcome> {
  const guard = new DirChainGuard(options.dataDir);
  const limit = createLimiter(options.concurrency ?? 16);
  const abs = (path: string): string => join(options.dataDir, path);
  const written = new Map<string, ManifestEntry>();
  let bytesWritten = 0;
  const modeKeeper = new ModeKeeper();
  const guarded = async (path: string, task: () => Promise<void>): Promise<void> => {
    try {
      await task();
    } catch (e: unknown) {
      if (e instanceof OperatorError) throw e;
      const err = toOperatorError(e, SyncReasons.ApplyFailed);
      throw new OperatorError(SyncReasons.ApplyFailed, `apply failed at ${path}: ${err.message}`, {
        cause: e,
      });
    }
  };
  const assertParent = async (path: string): Promise<boolean> => {
    const chain = await guard.inspect(parentOf(path));
    if (chain.state === 'symlink') throw symlinkInLiveTree(chain.at);
    return chain.state === 'dir';
  };

  await Promise.all(
    plan.deletes.map((op) =>
      limit(() =>
        guarded(op.path, async () => {
          if (await assertParent(op.path)) await ignoring(unlink(abs(op.path)), 'ENOENT');
        }),
      ),
    ),
  );
  for (const dir of plan.removeDirs) {
    await guarded(dir, async () => {
      if (!(await assertParent(dir))) return;
      const isRemoved = await ignoring(rmdir(abs(dir)), 'ENOENT', 'ENOTEMPTY', 'EEXIST', 'ENOTDIR');
      if (isRemoved) guard.forget(dir);
    });
  }
  await Promise.all(
    plan.writes.map((op) =>
      limit(() =>
        guarded(op.path, async () => {
          await guard.ensure(parentOf(op.path));
          const entry = await writeAtomically(op, options.sourceDir, abs(op.path), modeKeeper);
          written.set(op.path, entry);
          bytesWritten += entry.size;
        }),
      ),
    ),
  );
  await Promise.all(
    plan.chmods.map((op) =>
      limit(() =>
        guarded(op.path, async () => {
          if (!(await assertParent(op.path))) return;
          const handle = await open(abs(op.path), READ_FLAGS);
          try {
            await handle.chmod(op.entry.mode);
          } finally {
            await handle.close();
          }
          written.set(op.path, op.entry);
        }),
      ),
    ),
  );
  return { written, bytesWritten };
}

async function writeAtomically(
  op: WriteOp,
  sourceDir: string,
  target: string,
  modeKeeper: ModeKeeper,
): Promise<ManifestEntry> {
  const tmp = join(parentOf(target), tempNameFor(baseNameOf(target)));
  const out = await openTemp(tmp, op.mode);
  let hash: string;
  let size: number;
  try {
    if (op.origin.kind === 'generated') {
      const data = Buffer.from(op.origin.content);
      await out.writeFile(data);
      hash = createHash('sha256').update(data).digest('hex');
      size = data.length;
    } else {
      ({ hash, size } = await copyHashing(join(sourceDir, op.origin.sourcePath), out, op.size));
    }
    if (await modeKeeper.needsChmod(op.mode, tmp)) await out.chmod(op.mode);
  } finally {
    await out.close();
  }
  if (op.replacesDirectory) await ignoring(rmdir(target), 'ENOENT');
  await rename(tmp, target);
  return { hash, size, mode: op.mode };
}

async function openTemp(tmp: string, mode: number): Promise<FileHandle> {
  try {
    return await open(tmp, WRITE_FLAGS, mode);
  } catch (e: unknown) {
    if (!isCode(e, 'ELOOP')) throw e;
    await unlink(tmp); // something planted a symlink at our temp name: remove the link, never follow it
    return open(tmp, WRITE_FLAGS, mode);
  }
}

/** Reads the source once: the same bytes are hashed and written. */
async function copyHashing(
  src: string,
  out: FileHandle,
  expectedSize: number,
): Promise<{ hash: string; size: number }> {
  const input = await open(src, READ_FLAGS);
  try {
    const hash = createHash('sha256');
    if (expectedSize <= IN_MEMORY_LIMIT) {
      const data = await input.readFile();
      await out.writeFile(data);
      return { hash: hash.update(data).digest('hex'), size: data.length };
    }
    const buffer = Buffer.allocUnsafe(1 << 20);
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

/**
 * `open(path, flags, mode)` is subject to the process umask. Instead of a chmod per file, learn once per mode
 * whether the umask strips bits, and chmod only then.
 */
class ModeKeeper {
  readonly #isKept = new Map<number, Promise<boolean>>();

  async needsChmod(mode: number, probePath: string): Promise<boolean> {
    let kept = this.#isKept.get(mode);
    if (kept === undefined) {
      kept = lstat(probePath).then((st) => (st.mode & 0o777) === mode);
      this.#isKept.set(mode, kept);
    }
    return !(await kept);
  }
}

/** Awaits `op`; true when it succeeded, false when it failed with one of `codes`. */
async function ignoring(op: Promise<unknown>, ...codes: string[]): Promise<boolean> {
  try {
    await op;
    return true;
  } catch (e: unknown) {
    if (codes.some((c) => isCode(e, c))) return false;
    throw e;
  }
}
