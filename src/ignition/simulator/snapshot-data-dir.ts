import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScanKind } from '../gateway-types.ts';
import { buildSnapshot, type DataSnapshot, type FileRecord } from './data-snapshot.ts';

/** Scanned roots per kind, relative to the data dir (posix). */
export const SCAN_ROOTS: Readonly<Record<ScanKind, string>> = {
  config: 'config/resources',
  projects: 'projects',
};

/**
 * Per-simulator cache: a file whose (inode, size, ctime, mtime in ns) is unchanged keeps its hash, so a scan
 * of an unchanged tree costs one stat per file instead of a read and a hash.
 */
export type SnapshotCache = Map<string, { readonly key: string; readonly record: FileRecord }>;

const CONCURRENCY = 32;

/**
 * Reads every file under the kind's root (except the gateway's own `projects/.resources/`) and builds the
 * snapshot a scan loads. This is the only place the simulator hashes the data dir: it runs on scans only.
 */
export async function snapshotDataDir(
  dataDir: string,
  kind: ScanKind,
  now: number,
  cache: SnapshotCache = new Map(),
): Promise<DataSnapshot> {
  const paths: string[] = [];
  await walk(dataDir, SCAN_ROOTS[kind], paths);
  paths.sort();
  const records = await mapLimit(paths, CONCURRENCY, (p) => readRecord(dataDir, p, cache));
  const present = records.filter((r): r is FileRecord => r !== undefined);
  const seen = new Set(paths);
  for (const p of cache.keys()) if (p.startsWith(`${SCAN_ROOTS[kind]}/`) && !seen.has(p)) cache.delete(p);
  return buildSnapshot(kind, now, present);
}

async function walk(dataDir: string, rel: string, out: string[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(join(dataDir, rel), { withFileTypes: true });
  } catch {
    return;
  }
  const dirs: string[] = [];
  for (const entry of entries) {
    const child = `${rel}/${entry.name}`;
    if (child === 'projects/.resources') continue;
    if (entry.isDirectory()) dirs.push(child);
    else if (entry.isFile()) out.push(child);
  }
  await mapLimit(dirs, CONCURRENCY, (d) => walk(dataDir, d, out));
}

async function readRecord(
  dataDir: string,
  rel: string,
  cache: SnapshotCache,
): Promise<FileRecord | undefined> {
  const abs = join(dataDir, rel);
  const st = await stat(abs, { bigint: true }).catch(() => undefined);
  if (st === undefined) return undefined; // deleted between readdir and stat: a torn state, seen by the diff
  const key = `${st.ino}:${st.size}:${st.ctimeNs}:${st.mtimeNs}`;
  const cached = cache.get(rel);
  if (cached?.key === key) return cached.record;
  const content = await readFile(abs).catch(() => undefined);
  if (content === undefined) return undefined;
  const record: FileRecord = {
    path: rel,
    hash: createHash('sha256').update(content).digest('hex').slice(0, 32),
    mtimeMs: Number(st.mtimeNs / 1000n) / 1000,
    json: rel.endsWith('.json') ? content.toString('utf8') : undefined,
  };
  cache.set(rel, { key, record });
  return record;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
