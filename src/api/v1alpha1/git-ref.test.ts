import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFullCommitSha, isValidGitRef } from './git-ref.ts';

const valid = [
  'main',
  'v1.2.3',
  '2.0.0',
  'release/2026',
  'refs/tags/v1',
  'feature/a-b_c',
  'HEAD',
  'a@b',
  'x.y',
  '0123456789abcdef0123456789abcdef01234567',
];
const invalid: readonly [string, string][] = [
  ['', 'empty'],
  ['@', 'lone @'],
  ['-rf', 'leading dash'],
  ['a..b', 'double dot'],
  ['a b', 'space'],
  ['a~1', 'tilde'],
  ['a^', 'caret'],
  ['a:b', 'colon'],
  ['a?', 'question mark'],
  ['a*', 'asterisk'],
  ['a[b', 'bracket'],
  ['a\\b', 'backslash'],
  ['a\u0001b', 'control char'],
  ['a\u007fb', 'DEL'],
  ['.hidden', 'component starts with dot'],
  ['a/.b', 'inner component starts with dot'],
  ['a.lock', 'ends with .lock'],
  ['a.lock/b', 'component ends with .lock'],
  ['a@{1}', '@{'],
  ['a/', 'trailing slash'],
  ['/a', 'leading slash'],
  ['a.', 'trailing dot'],
  ['a//b', 'double slash'],
  ['x'.repeat(256), 'too long'],
];

describe('isValidGitRef', () => {
  it.each(valid)('accepts %j', (ref) => {
    expect(isValidGitRef(ref)).toBe(true);
  });
  it.each(invalid)('rejects %j (%s)', (ref) => {
    expect(isValidGitRef(ref)).toBe(false);
  });

  it('agrees with `git check-ref-format --allow-onelevel` on random refs', () => {
    const alphabet = fc.constantFrom(...'ab./-@{}~^:?*[\\ lock'.split(''));
    const refs = fc.sample(
      fc.array(alphabet, { minLength: 1, maxLength: 12 }).map((cs) => cs.join('')),
      {
        numRuns: 150,
        seed: 42,
      },
    );
    for (const ref of refs) {
      if (ref.startsWith('-')) continue; // git would read it as an option; we reject it on purpose
      let gitSays = true;
      try {
        execFileSync('git', ['check-ref-format', '--allow-onelevel', ref], { stdio: 'ignore' });
      } catch {
        gitSays = false;
      }
      expect({ ref, valid: isValidGitRef(ref) }).toEqual({ ref, valid: gitSays });
    }
  });
});

describe('isFullCommitSha', () => {
  it('accepts 40 and 64 lowercase hex digits', () => {
    expect(isFullCommitSha('a'.repeat(40))).toBe(true);
    expect(isFullCommitSha('0123456789abcdef'.repeat(4))).toBe(true);
  });
  it.each(['a'.repeat(39), 'a'.repeat(41), 'A'.repeat(40), 'g'.repeat(40), 'abc1234', ''])(
    'rejects %j',
    (s) => {
      expect(isFullCommitSha(s)).toBe(false);
    },
  );
});
