/** Parsing `git ls-tree -r -l -z --full-tree` output: pure, unit-tested. */

export type TreeEntryType = 'blob' | 'commit' | 'tree';

export interface TreeEntry {
  readonly path: string;
  /** Octal mode string: `100644`, `100755`, `120000` (symlink), `160000` (submodule). */
  readonly mode: string;
  readonly type: TreeEntryType;
  readonly oid: string;
  /** Blob size in bytes; null for submodules (no object in this repository). */
  readonly size: number | null;
}

export const SYMLINK_MODE = '120000';
export const SUBMODULE_MODE = '160000';

const ENTRY = /^([0-7]{6}) (blob|commit|tree) ([0-9a-f]{40,64}) +(-|\d+)\t([\s\S]+)$/;

/** Records are `<mode> SP <type> SP <oid> SP+ <size> TAB <path> NUL`; the path is verbatim under `-z`. */
export function parseLsTree(output: Buffer | string): TreeEntry[] {
  const text = typeof output === 'string' ? output : output.toString('utf8');
  const entries: TreeEntry[] = [];
  for (const record of text.split('\0')) {
    if (record === '') continue;
    const m = ENTRY.exec(record);
    if (m === null) throw new Error(`malformed ls-tree output: ${JSON.stringify(record.slice(0, 80))}`);
    const [, mode, type, oid, size, path] = m as unknown as [
      string,
      string,
      TreeEntryType,
      string,
      string,
      string,
    ];
    entries.push({ path, mode, type, oid, size: size === '-' ? null : Number(size) });
  }
  return entries;
}
