import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Change, parseNameStatus } from './name-status.ts';

describe('parseNameStatus', () => {
  it('parses -z records including renames, copies and type changes', () => {
    const raw = 'M\0a b.txt\0R087\0old\nname\0new name\0D\0-dash\0A\0ü.json\0T\0link\0C100\0src\0copy\0';
    expect(parseNameStatus(Buffer.from(raw))).toEqual([
      { status: 'M', path: 'a b.txt' },
      { status: 'R', path: 'new name', oldPath: 'old\nname' },
      { status: 'D', path: '-dash' },
      { status: 'A', path: 'ü.json' },
      { status: 'T', path: 'link' },
      { status: 'A', path: 'copy' },
    ]);
  });

  it('returns nothing for empty output', () => {
    expect(parseNameStatus('')).toEqual([]);
  });

  it('rejects truncated or unknown records instead of guessing', () => {
    expect(() => parseNameStatus('R100\0only-old\0')).toThrow(/cut short/);
    expect(() => parseNameStatus('X\0p\0')).toThrow(/unknown status/);
  });

  it('round-trips any path that git can store (no NUL)', () => {
    const path = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !s.includes('\0'));
    const change = fc.oneof(
      fc.record({ status: fc.constantFrom('A', 'M', 'D', 'T'), path }),
      fc.record({ status: fc.constant('R'), path, oldPath: path }),
    ) as fc.Arbitrary<Change>;
    fc.assert(
      fc.property(fc.array(change, { maxLength: 10 }), (changes) => {
        const raw = changes
          .map((c) => (c.status === 'R' ? `R090\0${c.oldPath}\0${c.path}\0` : `${c.status}\0${c.path}\0`))
          .join('');
        expect(parseNameStatus(raw)).toEqual(changes);
      }),
    );
  });
});
