import { z } from 'zod';
import type { ManifestEntry } from './sync-plan.ts';

/**
 * The engine's memory of what it applied, kept in `<dataDir>/.ignition-sync/`:
 * - `state.json` (small, read on every sync): the applied commit and profile fingerprint, or an
 *   `applying` marker written before any data operation.
 * - `manifest.json` (one entry per managed destination file): content hash, size, mode.
 * The state names the manifest it belongs to (`manifestId`), so a manifest from an interrupted apply is never
 * trusted.
 */
export interface Manifest {
  readonly id: string;
  readonly fingerprint: string;
  /** The managed roots the entries were planned against (see `encodeRoots`). */
  readonly roots: readonly string[];
  readonly entries: ReadonlyMap<string, ManifestEntry>;
}

const SyncStateSchema = z.discriminatedUnion('phase', [
  z.object({
    version: z.literal(1),
    phase: z.literal('applied'),
    commit: z.string().min(1),
    fingerprint: z.string().min(1),
    manifestId: z.string().min(1),
  }),
  z.object({
    version: z.literal(1),
    phase: z.literal('applying'),
    target: z.string().min(1),
    fingerprint: z.string().min(1),
  }),
]);

export type SyncState = z.infer<typeof SyncStateSchema>;

export function parseSyncState(text: string): SyncState | null {
  try {
    const parsed = SyncStateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function serializeSyncState(state: SyncState): string {
  return `${JSON.stringify(state)}\n`;
}

const MANIFEST_VERSION = 1;

/** Compact on purpose (100k entries): `entries: {path: [hash, size, mode]}`. Null when malformed. */
export function parseManifest(text: string): Manifest | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(raw) || raw.version !== MANIFEST_VERSION) return null;
  const { id, fingerprint, roots, entries } = raw;
  if (typeof id !== 'string' || typeof fingerprint !== 'string' || !isRecord(entries)) return null;
  if (!Array.isArray(roots) || !roots.every((r) => typeof r === 'string')) return null;
  const map = new Map<string, ManifestEntry>();
  for (const [path, value] of Object.entries(entries)) {
    if (!Array.isArray(value) || value.length !== 3) return null;
    const [hash, size, mode] = value as unknown[];
    if (typeof hash !== 'string' || typeof size !== 'number' || typeof mode !== 'number') return null;
    map.set(path, { hash, size, mode });
  }
  return { id, fingerprint, roots: roots as string[], entries: map };
}

export function serializeManifest(manifest: Manifest): string {
  // null prototype: a file literally named `__proto__` must stay an ordinary key
  const entries: Record<string, [string, number, number]> = Object.create(null);
  for (const path of [...manifest.entries.keys()].sort()) {
    const e = manifest.entries.get(path);
    if (e !== undefined) entries[path] = [e.hash, e.size, e.mode];
  }
  return `${JSON.stringify({ version: MANIFEST_VERSION, id: manifest.id, fingerprint: manifest.fingerprint, roots: manifest.roots, entries })}\n`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
