import { createPrng, type Prng } from './prng.ts';
import type { FileKind, FileSpec, RepoTree } from './repo-tree.ts';

/** Names of the commits of the change series, in order; `base` is the initial tree. */
export const COMMITS = ['base', 'one-file', 'one-percent', 'rename', 'delete-heavy'] as const;
export type CommitName = (typeof COMMITS)[number];

export type ChangeOp =
  | { readonly op: 'write'; readonly path: string; readonly spec: FileSpec }
  | { readonly op: 'delete'; readonly path: string }
  | { readonly op: 'rename'; readonly from: string; readonly to: string };

export interface PlannedCommit {
  readonly name: CommitName;
  readonly message: string;
  readonly ops: readonly ChangeOp[];
  /** The tree after this commit. */
  readonly tree: RepoTree;
}

const EDITABLE: ReadonlySet<FileKind> = new Set([
  'view-json',
  'code-py',
  'config-json',
  'query-sql',
  'style-json',
]);

/**
 * Plans the change series on top of `base` (pure): one modified script, 1% of the files modified,
 * one project renamed, then about 30% of the files deleted (whole resources, as a user would).
 */
export function planChangeSeries(base: RepoTree, seed: number): PlannedCommit[] {
  const prng = createPrng(seed ^ 0x5eed);
  const commits: PlannedCommit[] = [];
  const baseOps: ChangeOp[] = [...base.files].map(([path, spec]) => ({ op: 'write', path, spec }));
  commits.push({ name: 'base', message: 'initial gateway export', ops: baseOps, tree: base });
  let tree = base;
  const push = (name: CommitName, message: string, ops: ChangeOp[]): void => {
    tree = applyOps(tree, ops);
    commits.push({ name, message, ops, tree });
  };
  const editable = (t: RepoTree): string[] =>
    [...t.files].filter(([, spec]) => EDITABLE.has(spec.kind)).map(([path]) => path);

  const scripts = [...tree.files].filter(([, s]) => s.kind === 'code-py').map(([p]) => p);
  push('one-file', 'fix: one script', modify(tree, [prng.pick(scripts)]));
  push('one-percent', 'feat: 1% of files', modify(tree, sample(prng, editable(tree), tree.files.size / 100)));
  push('rename', 'refactor: rename a project', [renameProject(tree)]);
  push('delete-heavy', 'chore: remove 30% of resources', deleteResources(prng, tree, 0.3));
  return commits;
}

function modify(tree: RepoTree, paths: readonly string[]): ChangeOp[] {
  return paths.map((path) => {
    const spec = tree.files.get(path);
    if (spec === undefined) throw new Error(`no such file ${path}`);
    return { op: 'write', path, spec: { ...spec, rev: spec.rev + 1 } };
  });
}

function sample<T>(prng: Prng, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  for (let i = 0; i < Math.round(count) && pool.length > 0; i++) {
    const j = prng.int(pool.length);
    out.push(pool[j] as T);
    pool[j] = pool[pool.length - 1] as T;
    pool.pop();
  }
  return out;
}

/** Renames the project whose size is the median, so the rename moves a typical share of files. */
function renameProject(tree: RepoTree): ChangeOp {
  const sizes = tree.projects.map((p) => {
    const prefix = `projects/${p}/`;
    return { p, n: [...tree.files.keys()].filter((k) => k.startsWith(prefix)).length };
  });
  sizes.sort((a, b) => a.n - b.n);
  const median = sizes[Math.floor(sizes.length / 2)];
  if (median === undefined) throw new Error('tree has no projects');
  return { op: 'rename', from: `projects/${median.p}`, to: `projects/${median.p}_Renamed` };
}

function deleteResources(prng: Prng, tree: RepoTree, share: number): ChangeOp[] {
  const byDir = new Map<string, number>();
  for (const [path, spec] of tree.files) {
    if (spec.kind !== 'resource-json') continue;
    const dir = path.slice(0, path.lastIndexOf('/'));
    byDir.set(dir, (spec.files?.length ?? 0) + 1);
  }
  const target = tree.files.size * share;
  let removed = 0;
  const ops: ChangeOp[] = [];
  for (const dir of sample(prng, [...byDir.keys()], byDir.size)) {
    if (removed >= target) break;
    ops.push({ op: 'delete', path: dir });
    removed += byDir.get(dir) ?? 0;
  }
  return ops;
}

/** Applies change ops to a tree (directory deletes and renames apply to everything below). */
export function applyOps(tree: RepoTree, ops: readonly ChangeOp[]): RepoTree {
  const files = new Map(tree.files);
  let projects = [...tree.projects];
  const deleted = new Set<string>();
  for (const op of ops) {
    if (op.op === 'write') {
      files.set(op.path, op.spec);
    } else if (op.op === 'delete') {
      deleted.add(op.path);
    } else {
      for (const [path, spec] of [...files]) {
        if (!path.startsWith(`${op.from}/`)) continue;
        files.delete(path);
        files.set(`${op.to}${path.slice(op.from.length)}`, spec);
      }
      projects = projects.map((p) => (`projects/${p}` === op.from ? op.to.slice('projects/'.length) : p));
    }
  }
  if (deleted.size > 0) {
    for (const path of [...files.keys()]) if (isBelowAny(path, deleted)) files.delete(path);
  }
  return { files, projects };
}

function isBelowAny(path: string, dirs: ReadonlySet<string>): boolean {
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    if (dirs.has(path.slice(0, i))) return true;
  }
  return dirs.has(path);
}
