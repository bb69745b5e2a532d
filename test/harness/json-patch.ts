// A tiny RFC 6902 applier (add, remove, replace, test) for checking the JSON patches admission handlers
// return: the result is what the apiserver would store. Throws on any path that does not exist, as the
// apiserver rejects such a patch.

interface Operation {
  readonly op: string;
  readonly path: string;
  readonly value?: unknown;
}

function parsePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new Error(`json-patch: pointer ${path} must start with /`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

type Container = Record<string, unknown> | unknown[];

function parentOf(doc: unknown, segments: readonly string[], path: string): Container {
  let node: unknown = doc;
  for (const s of segments.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(s)];
    else if (typeof node === 'object' && node !== null && Object.hasOwn(node, s))
      node = (node as Record<string, unknown>)[s];
    else throw new Error(`json-patch: ${path}: ${s} does not exist`);
    if (typeof node !== 'object' || node === null)
      throw new Error(`json-patch: ${path}: ${s} is not a container`);
  }
  return node as Container;
}

function index(arr: unknown[], s: string, path: string, forAdd: boolean): number {
  if (forAdd && s === '-') return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(s)) throw new Error(`json-patch: ${path}: bad array index ${s}`);
  const i = Number(s);
  if (i > arr.length || (!forAdd && i === arr.length))
    throw new Error(`json-patch: ${path}: index out of range`);
  return i;
}

/** Applies `ops` to a deep copy of `doc` and returns it. */
export function applyJsonPatch<T>(doc: T, ops: readonly Operation[]): T {
  const root = structuredClone(doc) as unknown;
  for (const op of ops) {
    const segments = parsePointer(op.path);
    if (segments.length === 0) throw new Error('json-patch: whole-document operations are not supported');
    const parent = parentOf(root, segments, op.path);
    const last = segments.at(-1) as string;
    if (Array.isArray(parent)) {
      if (op.op === 'add') parent.splice(index(parent, last, op.path, true), 0, structuredClone(op.value));
      else if (op.op === 'remove') parent.splice(index(parent, last, op.path, false), 1);
      else if (op.op === 'replace') parent[index(parent, last, op.path, false)] = structuredClone(op.value);
      else throw new Error(`json-patch: unsupported op ${op.op}`);
      continue;
    }
    if (op.op === 'add') parent[last] = structuredClone(op.value);
    else if (op.op === 'remove' || op.op === 'replace') {
      if (!Object.hasOwn(parent, last)) throw new Error(`json-patch: ${op.path} does not exist`);
      if (op.op === 'remove') delete parent[last];
      else parent[last] = structuredClone(op.value);
    } else throw new Error(`json-patch: unsupported op ${op.op}`);
  }
  return root as T;
}
