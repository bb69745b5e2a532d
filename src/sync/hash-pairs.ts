import { join } from 'node:path';
import { hashBytes, hashFile } from './hash-file.ts';
import type { Limiter } from './limiter.ts';
import type { DesiredFile, LiveEntry, ManifestEntry } from './sync-plan.ts';

export interface HashPairsInput {
  readonly sourceDir: string;
  readonly dataDir: string;
  readonly desired: ReadonlyMap<string, DesiredFile>;
  readonly live: ReadonlyMap<string, LiveEntry>;
  /** Set on verification passes: live files whose size matches the manifest are hashed to find drift. */
  readonly previous: ReadonlyMap<string, ManifestEntry> | null;
  readonly limit: Limiter;
}

export interface HashPairs {
  readonly desiredHashes: Map<string, string>;
  readonly liveHashes: Map<string, string>;
}

/**
 * Hashes only what sizes cannot decide: a desired file and its live counterpart of equal size (different
 * sizes are different content, missing files are adds). A cold sync therefore hashes nothing here; the
 * executor hashes what it writes from the same buffer it writes.
 */
export async function hashPairs(input: HashPairsInput): Promise<HashPairs> {
  const desiredHashes = new Map<string, string>();
  const liveHashes = new Map<string, string>();
  const jobs: Array<Promise<void>> = [];
  const hashLive = (path: string): void => {
    if (liveHashes.has(path)) return;
    liveHashes.set(path, '');
    jobs.push(
      input.limit(async () => liveHashes.set(path, await hashFile(join(input.dataDir, path)))).then(noop),
    );
  };
  for (const [path, file] of input.desired) {
    const live = input.live.get(path);
    if (live?.kind !== 'file' || live.size !== file.size) continue;
    hashLive(path);
    const origin = file.origin;
    if (origin.kind === 'generated') desiredHashes.set(path, hashBytes(origin.content));
    else {
      const abs = join(input.sourceDir, origin.sourcePath);
      jobs.push(input.limit(async () => desiredHashes.set(path, await hashFile(abs))).then(noop));
    }
  }
  if (input.previous !== null) {
    for (const [path, entry] of input.previous) {
      const live = input.live.get(path);
      if (live?.kind === 'file' && live.size === entry.size) hashLive(path);
    }
  }
  await Promise.all(jobs);
  return { desiredHashes, liveHashes };
}

function noop(): void {}
