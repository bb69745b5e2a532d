import { constants } from 'node:fs';
import { open, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { OperatorError, toOperatorError } from '../errors.ts';
import { SyncReasons } from '../reasons/index.ts';
import { IN_MEMORY_LIMIT, ModeKeeper, writeAtomically, writeAtomicallySync } from './atomic-write.ts';
import { forEachCooperatively } from './cooperative-loop.ts';
import { DirChainGuard } from './dir-chain-guard.ts';
import { isCode } from './fs-entry.ts';
import { createLimiter, type Limiter } from './limiter.ts';
import { parentOf } from './safe-path.ts';
import { symlinkInLiveTree } from './sync-errors.ts';
import type { ChmodOp, ManifestEntry, MutationHook, SyncPlan, WriteOp } from './sync-plan.ts';

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
  const executor = new PlanExecutor(options);
  await executor.deleteFiles(plan.deletes.map((op) => op.path));
  await executor.removeDirs(plan.removeDirs);
  await executor.writeFiles(plan.writes);
  await executor.chmodFiles(plan.chmods);
  return { written: executor.written, bytesWritten: executor.bytesWritten };
}

/** One apply's state: the memoised parent-chain guard, the limiter and what has been written. */
class PlanExecutor {
  readonly written = new Map<string, ManifestEntry>();
  bytesWritten = 0;
  readonly #options: ApplyOptions;
  readonly #guard: DirChainGuard;
  readonly #limit: Limiter;
  readonly #modes = new ModeKeeper();
  readonly #hook: MutationHook;

  constructor(options: ApplyOptions) {
    this.#options = options;
    this.#guard = new DirChainGuard(options.dataDir);
    this.#limit = createLimiter(options.concurrency ?? 16);
    this.#hook = options.onMutation ?? (() => {});
  }

  async deleteFiles(paths: readonly string[]): Promise<void> {
    const deleteOne = async (path: string): Promise<void> => {
      if (!(await this.#isParentReal(path))) return;
      this.#hook('delete', path);
      await ignoring(unlink(this.#abs(path)), 'ENOENT');
    };
    await Promise.all(paths.map((path) => this.#limit(() => guarded(path, () => deleteOne(path)))));
  }

  /** Deepest first, and only directories that are empty by now (a failed rmdir is not an error). */
  async removeDirs(dirs: readonly string[]): Promise<void> {
    for (const dir of dirs) {
      await guarded(dir, async () => {
        if (!(await this.#isParentReal(dir))) return;
        this.#hook('rmdir', dir);
        const isRemoved = await ignoring(rmdir(this.#abs(dir)), 'ENOENT', 'ENOTEMPTY', 'EEXIST', 'ENOTDIR');
        if (isRemoved) this.#guard.forget(dir);
      });
    }
  }

  /**
   * Parents first (few distinct directories), then the files: small ones synchronously in cooperative slices
   * (several times faster than the thread pool for 1-10 KB resources), large ones streamed.
   */
  async writeFiles(writes: readonly WriteOp[]): Promise<void> {
    for (const dir of [...new Set(writes.map((op) => parentOf(op.path)))].sort()) {
      this.#hook('mkdir', dir);
      await guarded(dir, () => this.#guard.ensure(dir));
    }
    const { sourceDir } = this.#options;
    const beforeRename = (op: WriteOp) => () => this.#hook('write', op.path);
    await forEachCooperatively(
      writes.filter((op) => op.size <= IN_MEMORY_LIMIT),
      (op) => {
        try {
          this.#record(
            op.path,
            writeAtomicallySync(op, sourceDir, this.#abs(op.path), this.#modes, beforeRename(op)),
          );
        } catch (e: unknown) {
          throw applyFailed(op.path, e);
        }
      },
    );
    const writeLarge = async (op: WriteOp): Promise<void> => {
      this.#record(
        op.path,
        await writeAtomically(op, sourceDir, this.#abs(op.path), this.#modes, beforeRename(op)),
      );
    };
    const large = writes.filter((op) => op.size > IN_MEMORY_LIMIT);
    await Promise.all(large.map((op) => this.#limit(() => guarded(op.path, () => writeLarge(op)))));
  }

  async chmodFiles(chmods: readonly ChmodOp[]): Promise<void> {
    const chmodOne = async ({ path, entry }: ChmodOp): Promise<void> => {
      if (!(await this.#isParentReal(path))) return;
      this.#hook('chmod', path);
      const handle = await open(this.#abs(path), constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        await handle.chmod(entry.mode);
      } finally {
        await handle.close();
      }
      this.written.set(path, entry);
    };
    await Promise.all(chmods.map((op) => this.#limit(() => guarded(op.path, () => chmodOne(op)))));
  }

  #abs(path: string): string {
    return join(this.#options.dataDir, path);
  }

  #record(path: string, entry: ManifestEntry): void {
    this.written.set(path, entry);
    this.bytesWritten += entry.size;
  }

  async #isParentReal(path: string): Promise<boolean> {
    const chain = await this.#guard.inspect(parentOf(path));
    if (chain.state === 'symlink') throw symlinkInLiveTree(chain.at);
    return chain.state === 'dir';
  }
}

async function guarded(path: string, task: () => Promise<void>): Promise<void> {
  try {
    await task();
  } catch (e: unknown) {
    throw applyFailed(path, e);
  }
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
