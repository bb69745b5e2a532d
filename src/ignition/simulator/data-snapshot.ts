import type { ScanKind } from '../gateway-types.ts';

/** One file as read at scan time. `json` carries the text of `.json` files so they can be validated. */
export interface FileRecord {
  readonly path: string;
  readonly hash: string;
  /** Modification time (epoch ms, fractional): when the file was last written. */
  readonly mtimeMs: number;
  readonly json?: string | undefined;
}

export interface ResourceEntry {
  /** `<collection>/<module>/<type>[/<name…>]` or `<project>/<module>/<type>/<name…>`. */
  readonly key: string;
  readonly collection?: string;
  readonly project?: string;
  readonly module: string;
  readonly type: string;
  /** `''` for a singleton. */
  readonly name: string;
  readonly hash: string;
  readonly signature: string;
  readonly files: readonly string[];
}

export interface ProjectEntry {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly enabled: boolean;
  readonly inheritable: boolean;
  readonly parent: string;
}

export interface ModeEntry {
  readonly name: string;
  readonly title: string;
  readonly description: string;
}

export interface SnapshotError {
  readonly path: string;
  readonly message: string;
}

/** What a scan loaded: the gateway's view of one half of the data dir. */
export interface DataSnapshot {
  readonly kind: ScanKind;
  readonly takenAt: number;
  /** Every file under the scanned root with its hash: the filesystem state the scan saw. */
  readonly files: Readonly<Record<string, string>>;
  /** path → mtime (epoch ms): when each file was written, the evidence for lock and torn-write checks. */
  readonly mtimes: Readonly<Record<string, number>>;
  readonly resources: Readonly<Record<string, ResourceEntry>>;
  readonly projects: Readonly<Record<string, ProjectEntry>>;
  readonly modes: Readonly<Record<string, ModeEntry>>;
  /** Resource errors a real gateway would only log (malformed JSON, missing project.json, …). */
  readonly errors: readonly SnapshotError[];
  /** Temporary or staging files present: evidence of a half-applied sync. */
  readonly tempFiles: readonly string[];
}

/** Temp/staging names: the engine's `.x.ignsync-tmp`, `*.tmp`, `.sync-staging/`, editor backups, partials. */
const TEMP_FILE = /(^|\/)\.sync-staging(\/|$)|[.-]tmp($|[-.~])|~$|(^|\/)\.#|\.partial$/;
const BUILTIN_COLLECTIONS = new Set(['core', 'external', 'local', 'system']);

/** Pure: turns the file list of one scan root into resources, projects, modes and errors. */
export function buildSnapshot(kind: ScanKind, takenAt: number, records: readonly FileRecord[]): DataSnapshot {
  const files: Record<string, string> = {};
  const mtimes: Record<string, number> = {};
  const errors: SnapshotError[] = [];
  const tempFiles: string[] = [];
  const byDir = new Map<string, FileRecord[]>();
  for (const r of records) {
    files[r.path] = r.hash;
    mtimes[r.path] = r.mtimeMs;
    if (TEMP_FILE.test(r.path)) tempFiles.push(r.path);
    if (r.json !== undefined && parseJson(r.json) === undefined) {
      errors.push({ path: r.path, message: 'malformed json' });
    }
    const dir = r.path.slice(0, r.path.lastIndexOf('/'));
    const list = byDir.get(dir) ?? [];
    list.push(r);
    byDir.set(dir, list);
  }
  const out = { resources: {} as Record<string, ResourceEntry>, projects: {}, modes: {} };
  if (kind === 'config') collectConfig(byDir, out, errors);
  else collectProjects(byDir, out, errors);
  return { kind, takenAt, files, mtimes, ...out, errors, tempFiles };
}

interface Collected {
  resources: Record<string, ResourceEntry>;
  projects: Record<string, ProjectEntry>;
  modes: Record<string, ModeEntry>;
}

function collectConfig(byDir: Map<string, FileRecord[]>, out: Collected, errors: SnapshotError[]): void {
  const singletonCollections = new Map<string, Set<string>>();
  for (const [dir, recs] of byDir) {
    const parts = dir.split('/').slice(2); // drop config/resources
    const collection = parts[0];
    if (collection === undefined) continue;
    if (parts.length === 1) {
      const mode = recs.find((r) => r.path.endsWith('/config-mode.json'));
      const parsed = mode?.json === undefined ? undefined : asRecord(parseJson(mode.json));
      if (parsed !== undefined && !BUILTIN_COLLECTIONS.has(collection)) {
        out.modes[collection] = {
          name: collection,
          title: str(parsed.title, collection),
          description: str(parsed.description, ''),
        };
      }
      continue;
    }
    const resourceJson = recs.find((r) => r.path === `${dir}/resource.json`);
    if (resourceJson === undefined || parts.length < 3) continue;
    const [module, type, ...name] = parts.slice(1);
    if (module === undefined || type === undefined) continue;
    const entry = resourceEntry(`${parts.join('/')}`, recs, resourceJson, module, type, name.join('/'));
    out.resources[entry.key] = { ...entry, collection };
    if (entry.name === '') {
      const seen = singletonCollections.get(`${module}/${type}`) ?? new Set<string>();
      seen.add(collection);
      singletonCollections.set(`${module}/${type}`, seen);
    }
  }
  for (const [moduleType, collections] of singletonCollections) {
    if (!collections.has('core') && !collections.has('external')) {
      errors.push({
        path: `config/resources/*/${moduleType}`,
        message: 'singleton exists only in a mode or local collection; the gateway would fail to start',
      });
    }
  }
}

function collectProjects(byDir: Map<string, FileRecord[]>, out: Collected, errors: SnapshotError[]): void {
  const projectDirs = new Set<string>();
  for (const dir of byDir.keys()) {
    const name = dir.split('/')[1];
    if (name !== undefined) projectDirs.add(name);
  }
  for (const name of projectDirs) {
    const pj = byDir.get(`projects/${name}`)?.find((r) => r.path === `projects/${name}/project.json`);
    const parsed = pj?.json === undefined ? undefined : asRecord(parseJson(pj.json));
    if (parsed === undefined) {
      errors.push({ path: `projects/${name}`, message: 'not a project: project.json missing or malformed' });
      continue;
    }
    out.projects[name] = {
      name,
      title: str(parsed.title, name),
      description: str(parsed.description, ''),
      enabled: parsed.enabled !== false,
      inheritable: parsed.inheritable === true,
      parent: str(parsed.parent, ''),
    };
  }
  for (const [dir, recs] of byDir) {
    const parts = dir.split('/').slice(1);
    const [project, module, type, ...name] = parts;
    if (project === undefined || module === undefined || type === undefined || !(project in out.projects))
      continue;
    const resourceJson = recs.find((r) => r.path === `${dir}/resource.json`);
    if (resourceJson === undefined) continue;
    const entry = resourceEntry(parts.join('/'), recs, resourceJson, module, type, name.join('/'));
    out.resources[entry.key] = { ...entry, project };
  }
}

function resourceEntry(
  key: string,
  recs: readonly FileRecord[],
  resourceJson: FileRecord,
  module: string,
  type: string,
  name: string,
): ResourceEntry {
  const sorted = [...recs].sort((a, b) => (a.path < b.path ? -1 : 1));
  const hash = sorted.map((r) => `${r.path.slice(r.path.lastIndexOf('/') + 1)}=${r.hash}`).join(';');
  const attrs = asRecord(asRecord(parseJson(resourceJson.json ?? ''))?.attributes);
  return {
    key,
    module,
    type,
    name,
    hash,
    signature: str(attrs?.lastModificationSignature, ''),
    files: sorted.map((r) => r.path.slice(r.path.lastIndexOf('/') + 1)),
  };
}

export interface SnapshotDiff {
  readonly added: readonly string[];
  readonly modified: readonly string[];
  readonly removed: readonly string[];
}

/** Pure: resource-level diff between two snapshots (resource keys, and project names for project records). */
export function diffSnapshots(before: DataSnapshot | undefined, after: DataSnapshot): SnapshotDiff {
  const keyed = (s: DataSnapshot | undefined): Record<string, string> => ({
    ...mapValues(s?.projects ?? {}, (p) => JSON.stringify(p)),
    ...mapValues(s?.resources ?? {}, (r) => r.hash),
  });
  return diffRecords(keyed(before), keyed(after));
}

/** Pure: file-level diff (path → hash maps). */
export function diffRecords(
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
): SnapshotDiff {
  const added: string[] = [];
  const modified: string[] = [];
  const removed: string[] = [];
  for (const [k, v] of Object.entries(after)) {
    if (!(k in before)) added.push(k);
    else if (before[k] !== v) modified.push(k);
  }
  for (const k of Object.keys(before)) if (!(k in after)) removed.push(k);
  return { added, modified, removed };
}

function mapValues<T>(o: Readonly<Record<string, T>>, f: (v: T) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) out[k] = f(v);
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function str(v: unknown, fallback: string): string {
  return typeof v === 'string' ? v : fallback;
}
