/** Parsing `git diff-tree -r -z -M --name-status` output: pure, unit-tested. */

export type ChangeStatus = 'A' | 'M' | 'D' | 'R' | 'T';

export interface Change {
  readonly status: ChangeStatus;
  /** Path in the new tree (the old path for deletions). Repository-relative, `/`-separated, raw bytes as UTF-8. */
  readonly path: string;
  /** Only for renames: the path in the old tree. */
  readonly oldPath?: string;
}

/**
 * With `-z` every field is NUL-terminated, so names with spaces, newlines, tabs, quotes, unicode or a
 * leading `-` arrive verbatim (no C-style quoting). Records: `<status>\0<path>\0`, and for renames/copies
 * `R<score>\0<old>\0<new>\0`. A copy (`C`) is reported as an add of the new path. Throws on malformed input.
 */
export function parseNameStatus(output: Buffer | string): Change[] {
  const fields = (typeof output === 'string' ? output : output.toString('utf8')).split('\0');
  if (fields.at(-1) === '') fields.pop();
  const changes: Change[] = [];
  let i = 0;
  const take = (): string => {
    const field = fields[i++];
    if (field === undefined) throw new Error('malformed name-status output: record cut short');
    return field;
  };
  while (i < fields.length) {
    const status = take();
    const letter = status.charAt(0);
    if (letter === 'R' || letter === 'C') {
      const oldPath = take();
      const path = take();
      changes.push(letter === 'R' ? { status: 'R', path, oldPath } : { status: 'A', path });
    } else if (letter === 'A' || letter === 'M' || letter === 'D' || letter === 'T') {
      changes.push({ status: letter, path: take() });
    } else {
      throw new Error(`malformed name-status output: unknown status ${JSON.stringify(status.slice(0, 8))}`);
    }
  }
  return changes;
}
