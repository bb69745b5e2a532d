import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DirChainGuard } from './dir-chain-guard.ts';
import { lstatOrNull, toLiveEntry } from './fs-entry.ts';
import type { Limiter } from './limiter.ts';
import { type ManagedRoot, rootsToWalk } from './managed-roots.ts';
import type { ResolvedProfile } from './mappings.ts';
import { baseNameOf, joinPath, parentOf } from './safe-path.ts';
import { symlinkInLiveTree } from './sync-errors.ts';
import type { LiveEntry } from './sync-plan.ts';
import { isTempName, tempNameFor } from './temp-name.ts';

/**
 * Lists everything under the managed roots of the live data directory with lstat only (symlinks are entries,
 * never followed). Protected and excluded directories are recorded as `opaque` and not descended; leftover
 * temporary files are listed even where excludes would hide them. Throws SymlinkInLiveTree when a managed
 * root lies below a symlink.
 */
export async function scanLiveRoots(
  dataDir: string,
  roots: readonly ManagedRoot[],
  profile: ResolvedProfile,
  guard: DirChainGuard,
  limit: Limiter,
): Promise<Map<string, LiveEntry>> {
  const live = new Map<string, LiveEntry>();
  const record = (path: string, st: Stats): LiveEntry => {
    const entry = toLiveEntry(st);
    live.set(path, entry);
    return entry;
  };
  const visit = async (dir: string): Promise<void> => {
    const entries = await limit(() => readdir(join(dataDir, dir), { withFileTypes: true }));
    await Promise.all(entries.map((entry) => visitEntry(dir, entry)));
  };
  const visitEntry = async (dir: string, entry: Dirent): Promise<void> => {
    const path = joinPath(dir, entry.name);
    const isDir = entry.isDirectory();
    const isOurTemp = !isDir && isTempName(entry.name);
    if (
      profile.protect.matchesSelf(path, isDir) ||
      (!isOurTemp && profile.excludes.matchesSelf(path, isDir))
    ) {
      live.set(path, { kind: 'opaque', size: 0, mode: 0 });
      return;
    }
    const st = await limit(() => lstat(join(dataDir, path)));
    if (record(path, st).kind === 'dir') await visit(path);
  };
  await Promise.all(
    rootsToWalk(roots).map(async (root) => {
      const chain = await guard.inspect(parentOf(root.path));
      if (chain.state === 'symlink') throw symlinkInLiveTree(chain.at);
      if (chain.state !== 'dir') return;
      const st = await lstatOrNull(join(dataDir, root.path));
      if (st?.isSymbolicLink() === true && root.type === 'dir') throw symlinkInLiveTree(root.path);
      if (st !== null && record(root.path, st).kind === 'dir') {
        if (root.type === 'dir') await visit(root.path);
        else live.set(root.path, { kind: 'opaque', size: 0, mode: 0 }); // a directory where git has a file: not ours
      }
      if (root.type === 'file') {
        const temp = joinPath(parentOf(root.path), tempNameFor(baseNameOf(root.path)));
        const tempStat = await lstatOrNull(join(dataDir, temp));
        if (tempStat?.isFile() === true) record(temp, tempStat);
      }
    }),
  );
  return live;
}
