import { open, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { OperatorError, toOperatorError } from '../errors.ts';
import { IN_MEMORY_LIMIT, ModeKeeper, writeAtomically, writeAtomicallySync } from './atomic-write.ts';
import { forEachCooperatively } from './cooperative-loop.ts';
import { DirChainGuard } from './dir-chain-guard.ts';
import { isCode } from './fs-entry.ts';
import { createLimiter } from './limiter.ts';
import { SyncReasons } from './reasons.ts';
import { parentOf } from './safe-path.ts';
import { symlinkInLiveTree } from './sync-errors.ts';
import type { ManifestEntry, MutationHook, SyncPlan } from './sync-plan.ts';

export interface ApplyOptions {
  /** The checked-out worktree the plan's source paths are relative to. */
  readonly sourceDir: string;
  readonly dataDir: string;
  /** Parallel filesystem operations for deletes, chmods and large files (default 16). */
  readonly concurrency?: number;
  readonly onMutation?: MutationHook | undefined;
}

export interface ApplyOutcome {
  /** Manifest entries of everything written or chmodded (hash computed from the bytes written). */
  readonly written: Map<string, ManifestEntry>;
  readonly bytesWritten: number;
}

/**
 * The only code that changes the gateway data directory. Order: delete files, remove emptied directories
 * (deepest first, only when empty), then write files and fix modes. Every write goes to a temporary file in
 * the target's directory and is renamed over the target, so the gateway sees the old or the new content,
 * never a torn file. No parent component is ever a symlink (checked with lstat); source files are opened
 * with O_NOFOLLOW. Failures become ApplyFailed (transient) unless already typed.
 *
 * No fsync: rename gives atomic visibility to readers of the running system, which is what the gateway
 * needs; a killed process (the common crash) loses nothing already handed to the kernel. Only a power loss
 * can lose unflushed data, and the agent's verification pass at start (full hash comparison) repairs that.
 * Per-file fsync would make a cold sync of 100k files an order of magnitude slower.
 */
export async function applyPlan(plan: SyncPlan, options: ApplyOptions): Promise<ApplyOutcome> {
  const guard = new DirChainGuard(options.dataDir);
  const limit = createLimiter(options.concurrency ?? 16);
  const abs = (path: string): string => join(options.dataDir, path);
  const written = new Map<string, ManifestEntry>();
  let bytesWritten = 0;
  const modes = new ModeKeeper();
  const hook = options.onMutation ?? (() => {});
  const guarded = async (path: string, task: () => Promise<void>): Promise<void> => {
    try {
      await task();
    } catch (e: unknown) {
      throw applyFailed(path, e);
    }
  };
  const isParentReal = async (path: string): Promise<boolean> => {
    const chain = await guard.inspect(parentOf(path));
    if (chain.state === 'symlink') throw symlinkInLiveTree(chain.at);
    return chain.state === 'dir';
  };
  const record = (path: string, entry: ManifestEntry): void => {
    written.set(path, entry);
    bytesWritten += entry.size;
  };

  const deleteFile = async (path: string): Promise<void> => {
    if (!(await isParentReal(path))) return;
    hook('delete', path);
    await ignoring(unlink(abs(path)), 'ENOENT');
  };
  await Promise.all(plan.deletes.map((op) => limit(() => guarded(op.path, () => deleteFile(op.path)))));
  for (const dir of plan.removeDirs) {
    await guarded(dir, async () => {
      if (!(await isParentReal(dir))) return;
      hook('rmdir', dir);
      if (await ignoring(rmdir(abs(dir)), 'ENOENT', 'ENOTEMPTY', 'EEXIST', 'ENOTDIR')) guard.forget(dir);
    });
  }
  // parents first (few distinct directories), then the files: small ones synchronously in cooperative slices
  // (several times faster than the thread pool for 1-10 KB resources), large ones streamed
  for (const dir of [...new Set(plan.writes.map((op) => parentOf(op.path)))].sort()) {
    hook('mkdir', dir);
    await guarded(dir, () => guard.ensure(dir));
  }
  await forEachCooperatively(
    plan.writes.filter((op) => op.size <= IN_MEMORY_LIMIT),
    (op) => {
      try {
        record(
          op.path,
          writeAtomicallySync(op, options.sourceDir, abs(op.path), modes, () => hook('write', op.path)),
        );
      } catch (e: unknown) {
        throw applyFailed(op.path, e);
      }
    },
  );
  const large = plan.writes.filter((op) => op.size > IN_MEMORY_LIMIT);
  const writeLarge = async (op: (typeof large)[number]): Promise<void> => {
    record(
      op.path,
      await writeAtomically(op, options.sourceDir, abs(op.path), modes, () => hook('write', op.path)),
    );
  };
  await Promise.all(large.map((op) => limit(() => guarded(op.path, () => writeLarge(op)))));
  const chmod = async (path: string, entry: ManifestEntry): Promise<void> => {
    if (!(await isParentReal(path))) return;
    hook('chmod', path);
    const handle = await open(abs(path), 'r');
    try {
      await handle.chmod(entry.mode);
    } finally {
      await handle.close();
    }
    written.set(path, entry);
  };
  await Promise.all(plan.chmods.map((op) => limit(() => guarded(op.path, () => chmod(op.path, op.entry)))));
  return { written, bytesWritten };
}

function applyFailed(path: string, e: unknown): OperatorError {
  if (e instanceof OperatorError) return e;
  const err = toOperatorError(e, SyncReasons.ApplyFailed);
  return new OperatorError(SyncReasons.ApplyFailed, `apply failed at ${path}: ${err.message}`, { cause: e });
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
