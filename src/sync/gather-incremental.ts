import { join } from 'node:path';
import type { PathFact } from './decide-path.ts';
import type { DirChainGuard } from './dir-chain-guard.ts';
import { lstatOrNull, toLiveEntry } from './fs-entry.ts';
import { hashBytes, hashFile } from './hash-file.ts';
import type { Limiter } from './limiter.ts';
import { isInManagedRoot, type ManagedRoot } from './managed-roots.ts';
import type { ResolvedProfile } from './mappings.ts';
import type { Candidate } from './plan-incremental.ts';
import { ancestorsOf, parentOf } from './safe-path.ts';
import { symlinkInLiveTree } from './sync-errors.ts';
import type { DesiredFile, ManifestEntry, SkippedPath } from './sync-plan.ts';

export interface GatherInput {
  readonly sourceDir: string;
  readonly dataDir: string;
  readonly profile: ResolvedProfile;
  readonly candidates: ReadonlyMap<string, Candidate>;
  readonly previous: ReadonlyMap<string, ManifestEntry>;
  readonly roots: readonly ManagedRoot[];
  readonly liveGuard: DirChainGuard;
  readonly sourceGuard: DirChainGuard;
  readonly limit: Limiter;
}

/** `needs-full`: a file/directory type change the incremental path does not handle; plan fully instead. */
export type GatherResult = { readonly facts: PathFact[]; readonly skipped: SkippedPath[] } | 'needs-full';

class NeedsFull extends Error {}

/** Collects the facts for the changed destination paths only: O(changes) lstat/hash calls. */
export async function gatherIncrementalFacts(input: GatherInput): Promise<GatherResult> {
  const skipped: SkippedPath[] = [];
  try {
    const facts = await Promise.all(
      [...input.candidates.values()].map((c) => input.limit(() => gatherOne(input, c, skipped))),
    );
    // a file and a directory wanted at the same path (an overlay clash inside this change set): the full
    // planner resolves it by mapping order
    const desired = new Set(facts.filter((f) => f.desired !== undefined).map((f) => f.path));
    if (facts.some((f) => f.desired !== undefined && ancestorsOf(f.path).some((dir) => desired.has(dir)))) {
      return 'needs-full';
    }
    return { facts, skipped };
  } catch (e: unknown) {
    if (e instanceof NeedsFull) return 'needs-full';
    throw e;
  }
}

async function gatherOne(
  input: GatherInput,
  candidate: Candidate,
  skipped: SkippedPath[],
): Promise<PathFact> {
  const { path } = candidate;
  const desired = await findDesired(input, candidate, skipped);
  const previous = input.previous.get(path);
  const isIgnored = input.profile.protect.matches(path, false) || input.profile.excludes.matches(path, false);
  const chain = await input.liveGuard.inspect(parentOf(path));
  if (chain.state === 'not-dir') throw new NeedsFull();
  if (chain.state === 'symlink' && !isIgnored && (desired !== undefined || previous !== undefined)) {
    throw symlinkInLiveTree(chain.at);
  }
  const st = chain.state === 'dir' ? await lstatOrNull(join(input.dataDir, path)) : null;
  const live = st === null ? undefined : toLiveEntry(st);
  if (live?.kind === 'dir' && desired !== undefined) throw new NeedsFull();
  const fact: PathFact = { path, desired, live, previous, isManaged: isInManagedRoot(path, input.roots) };
  if (desired === undefined || live?.kind !== 'file' || live.size !== desired.size || isIgnored) return fact;
  const origin = desired.origin;
  const [desiredHash, liveHash] = await Promise.all([
    origin.kind === 'generated'
      ? hashBytes(origin.content)
      : hashFile(join(input.sourceDir, origin.sourcePath)),
    hashFile(join(input.dataDir, path)),
  ]);
  return { ...fact, desiredHash, liveHash };
}

async function findDesired(
  input: GatherInput,
  candidate: Candidate,
  skipped: SkippedPath[],
): Promise<DesiredFile | undefined> {
  for (const probe of candidate.probes) {
    const chain = await input.sourceGuard.inspect(parentOf(probe.sourcePath));
    if (chain.state === 'symlink') {
      skipped.push({
        path: candidate.path,
        reason: 'symlink',
        detail: `${chain.at} is a symlink in the repository`,
      });
      continue;
    }
    if (chain.state !== 'dir') continue;
    const st = await lstatOrNull(join(input.sourceDir, probe.sourcePath));
    if (st === null) continue;
    if (st.isDirectory()) throw new NeedsFull();
    if (st.isSymbolicLink()) {
      skipped.push({
        path: candidate.path,
        reason: 'symlink',
        detail: 'symlinks in the repository are never followed or copied',
      });
      continue;
    }
    if (!st.isFile()) {
      skipped.push({ path: candidate.path, reason: 'unsupported-file-type' });
      continue;
    }
    return {
      path: candidate.path,
      origin: { kind: 'source', sourcePath: probe.sourcePath },
      size: st.size,
      mode: st.mode & 0o777,
      mappingIndex: probe.mapping.index,
    };
  }
  const g = candidate.generated;
  if (g === undefined) return undefined;
  return {
    path: g.path,
    origin: { kind: 'generated', content: g.content },
    size: Buffer.byteLength(g.content),
    mode: 0o644,
    mappingIndex: g.mappingIndex,
  };
}
