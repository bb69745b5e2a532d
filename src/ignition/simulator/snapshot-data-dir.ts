import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScanKind } from '../gateway-types.ts';
import { buildSnapshot, type DataSnapshot, type FileRecord } from './data-snapshot.ts';

/** Scanned roots per kind, relative to the data dir (posix). */
export const SCAN_ROOTS: Readonly<Record<ScanKind, string>> = {
  config: 'config/resources',
  projects: 'projects',
};

/**
 * Reads every file under the kind's root (except the gateway's own `projects/.resources/`) and builds the
 * snapshot a scan loads. This is the only place the simulator hashes the data dir: it runs on scans only.
 */
export async function snapshotDataDir(dataDir: string, kind: ScanKind, now: number): Promise<DataSnapshot> {
  const files: FileRecord[] = [];
  await walk(dataDir, SCAN_ROOTS[kind], files);
  return buildSnapshot(kind, now, files);
}

async function walk(dataDir: string, rel: string, out: FileRecord[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(join(dataDir, rel), { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const child = `${rel}/${entry.name}`;
    if (child === 'projects/.resources') continue;
    if (entry.isDirectory()) {
      await walk(dataDir, child, out);
    } else if (entry.isFile()) {
      const content = await readFile(join(dataDir, child)).catch(() => undefined);
      if (content === undefined) continue; // deleted between readdir and read: a torn state, seen by the diff
      out.push({
        path: child,
        hash: createHash('sha256').update(content).digest('hex').slice(0, 32),
        json: child.endsWith('.json') ? content.toString('utf8') : undefined,
      });
    }
  }
}
