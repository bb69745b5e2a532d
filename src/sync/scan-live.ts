import { type Dirent, lstatSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { drain, forEachCooperatively } from './cooperative-loop.ts';
import type { DirChainGuard } from './dir-chain-guard.ts';
import { lstatOrNull, toLiveEntry } from './fs-entry.ts';
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
): Promise<Map<string, LiveEntry>> {
  const live = new Map<string, LiveEntry>();
  const record = (path: string, st: Stats): LiveEntry => {
    const entry = toLiveEntry(st);
    live.set(path, entry);
    return entry;
  };
  const queue: string[] = [];
  const visitEntry = (dir: string, entry: Dirent): void => {
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
    if (record(path, lstatSync(join(dataDir, path))).kind === 'dir') queue.push(path);
  };
  await Promise.all(
    rootsToWalk(roots).map(async (root) => {
      const chain = await guard.inspect(parentOf(root.path));
      if (chain.state === 'symlink') throw symlinkInLiveTree(chain.at);
      if (chain.state !== 'dir') return;
      const st = await lstatOrNull(join(dataDir, root.path));
      if (st?.isSymbolicLink() === true && root.type === 'dir') throw symlinkInLiveTree(root.path);
      if (st !== null && record(root.path, st).kind === 'dir') {
        if (root.type === 'dir') queue.push(root.path);
        else live.set(root.path, { kind: 'opaque', size: 0, mode: 0 }); // a directory where git has a file: not ours
      }
      if (root.type === 'file') {
        const temp = joinPath(parentOf(root.path), tempNameFor(baseNameOf(root.path)));
        const tempStat = await lstatOrNull(join(dataDir, temp));
        if (tempStat?.isFile() === true) record(temp, tempStat);
      }
    }),
  );
  await forEachCooperatively(drain(queue), (dir) => {
    for (const entry of readdirSync(join(dataDir, dir), { withFileTypes: true })) visitEntry(dir, entry);
  });
  return live;
}
