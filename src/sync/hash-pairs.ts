import { join } from 'node:path';
import { forEachCooperatively } from './cooperative-loop.ts';
import { hashBytes, hashFileSync } from './hash-file.ts';
import type { DesiredFile, LiveEntry, ManifestEntry } from './sync-plan.ts';

export interface HashPairsInput {
  readonly sourceDir: string;
  readonly dataDir: string;
  readonly desired: ReadonlyMap<string, DesiredFile>;
  readonly live: ReadonlyMap<string, LiveEntry>;
  /** Set on verification passes: live files whose size matches the manifest are hashed to find drift. */
  readonly previous: ReadonlyMap<string, ManifestEntry> | null;
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
  const toHash: Array<{ readonly map: Map<string, string>; readonly path: string; readonly abs: string }> =
    [];
  const hashLive = (path: string): void => {
    if (liveHashes.has(path)) return;
    liveHashes.set(path, '');
    toHash.push({ map: liveHashes, path, abs: join(input.dataDir, path) });
  };
  for (const [path, file] of input.desired) {
    const live = input.live.get(path);
    if (live?.kind !== 'file' || live.size !== file.size) continue;
    hashLive(path);
    const origin = file.origin;
    if (origin.kind === 'generated') desiredHashes.set(path, hashBytes(origin.content));
    else toHash.push({ map: desiredHashes, path, abs: join(input.sourceDir, origin.sourcePath) });
  }
  for (const [path, entry] of input.previous ?? []) {
    const live = input.live.get(path);
    if (live?.kind === 'file' && live.size === entry.size) hashLive(path);
  }
  await forEachCooperatively(toHash, (job) => {
    job.map.set(job.path, hashFileSync(job.abs));
  });
  return { desiredHashes, liveHashes };
}
