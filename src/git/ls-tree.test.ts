import { describe, expect, it } from 'vitest';
import { parseLsTree } from './ls-tree.ts';

const OID = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';
const SUB = '1111111111111111111111111111111111111111';

describe('parseLsTree', () => {
  it('parses blobs, symlinks and submodules with verbatim odd paths', () => {
    const raw = [
      `100644 blob ${OID}       0\tdir/a b.txt`,
      `100755 blob ${OID}      12\t-x.sh`,
      `120000 blob ${OID}       9\tnew\nline`,
      `160000 commit ${SUB}       -\tvendor/lib`,
      '',
    ].join('\0');
    expect(parseLsTree(Buffer.from(raw))).toEqual([
      { path: 'dir/a b.txt', mode: '100644', type: 'blob', oid: OID, size: 0 },
      { path: '-x.sh', mode: '100755', type: 'blob', oid: OID, size: 12 },
      { path: 'new\nline', mode: '120000', type: 'blob', oid: OID, size: 9 },
      { path: 'vendor/lib', mode: '160000', type: 'commit', oid: SUB, size: null },
    ]);
  });

  it('rejects a malformed record', () => {
    expect(() => parseLsTree('100644 blob nothex 1\tx\0')).toThrow(/malformed/);
  });
});
