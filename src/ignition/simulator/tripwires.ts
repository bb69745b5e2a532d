import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { diffRecords, type SnapshotDiff } from './data-snapshot.ts';

/**
 * Gateway-owned files a sync must never modify (docs ignition-gateway.md §2, "What the sync must never delete
 * or overwrite"). Paths are posix, relative to the data dir.
 */
export const GATEWAY_OWNED_GLOBS: readonly string[] = [
  'projects/.resources/**',
  'config/local/**',
  'config/resources/local/**',
  'config/resources/core/ignition/tag-definition/System/**',
  'var/**',
  'modules.json',
  'gateway.xml',
  'gateway.xml_clean',
  'redundancy.xml',
  'commissioning.json',
  '.ignition-seed-complete',
  '**/*.idb',
  'logs/**',
];

/** Directories walked to find gateway-owned files (the rest of the tree is never read by the tripwire). */
const OWNED_ROOTS = [
  'projects/.resources',
  'config/local',
  'config/resources/local',
  'config/resources/core/ignition/tag-definition/System',
  'var',
  'db',
  'logs',
];

const isOwned = picomatch([...GATEWAY_OWNED_GLOBS], { dot: true });

export function isGatewayOwned(relPath: string): boolean {
  return isOwned(relPath);
}

/** Hashes every gateway-owned file (path → sha256). */
export async function hashGatewayOwnedFiles(dataDir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const top = await readdir(dataDir, { withFileTypes: true }).catch(() => [] as Dirent[]);
  for (const entry of top) {
    if (entry.isFile() && isOwned(entry.name)) await hashInto(dataDir, entry.name, out);
  }
  for (const root of OWNED_ROOTS) await walk(dataDir, root, out);
  return out;
}

async function walk(dataDir: string, rel: string, out: Record<string, string>): Promise<void> {
  const entries = await readdir(join(dataDir, rel), { withFileTypes: true }).catch(() => [] as Dirent[]);
  for (const entry of entries) {
    const child = `${rel}/${entry.name}`;
    if (entry.isDirectory()) await walk(dataDir, child, out);
    else if (entry.isFile() && isOwned(child)) await hashInto(dataDir, child, out);
  }
}

async function hashInto(dataDir: string, rel: string, out: Record<string, string>): Promise<void> {
  const content = await readFile(join(dataDir, rel)).catch(() => undefined);
  if (content !== undefined) out[rel] = createHash('sha256').update(content).digest('hex');
}

export interface TripwireReport extends SnapshotDiff {
  readonly ok: boolean;
  readonly checkedAt: number;
  readonly watched: number;
}

/**
 * Tripwires over gateway-owned files: a baseline taken at start and refreshed after the simulator's own
 * writes; `check()` reports any other change. Hashing happens only at start, after own writes and on check.
 */
export class Tripwires {
  readonly #dataDir: string;
  #baseline: Record<string, string> = {};

  constructor(dataDir: string) {
    this.#dataDir = dataDir;
  }

  async arm(): Promise<void> {
    this.#baseline = await hashGatewayOwnedFiles(this.#dataDir);
  }

  /** Records the simulator's own write of these paths as legitimate. */
  async acceptOwnWrites(paths: readonly string[]): Promise<void> {
    for (const p of paths) {
      if (!isOwned(p)) continue;
      const content = await readFile(join(this.#dataDir, p)).catch(() => undefined);
      if (content === undefined) delete this.#baseline[p];
      else this.#baseline[p] = createHash('sha256').update(content).digest('hex');
    }
  }

  async check(now: number): Promise<TripwireReport> {
    const current = await hashGatewayOwnedFiles(this.#dataDir);
    const diff = diffRecords(this.#baseline, current);
    const ok = diff.added.length + diff.modified.length + diff.removed.length === 0;
    return { ok, checkedAt: now, watched: Object.keys(this.#baseline).length, ...diff };
  }
}
