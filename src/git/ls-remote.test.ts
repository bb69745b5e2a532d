import { describe, expect, it } from 'vitest';
import { lsRemotePatterns, parseLsRemote, selectRef } from './ls-remote.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const T = 'c'.repeat(40);

const refs = parseLsRemote(
  [
    `${A}\tHEAD`,
    `${A}\trefs/heads/main`,
    `${B}\trefs/heads/v1`,
    `${T}\trefs/tags/v1`,
    `${A}\trefs/tags/v1^{}`,
    'junk',
    '',
  ].join('\n'),
);

describe('selectRef', () => {
  it('a tag wins over a branch of the same name and is peeled', () => {
    expect(selectRef(refs, 'v1')).toEqual({ commit: A, refName: 'refs/tags/v1', kind: 'tag' });
  });
  it('full forms pick exactly that ref', () => {
    expect(selectRef(refs, 'refs/heads/v1')).toEqual({ commit: B, refName: 'refs/heads/v1', kind: 'branch' });
  });
  it('HEAD and unknown refs', () => {
    expect(selectRef(refs, 'HEAD')).toEqual({ commit: A, refName: 'HEAD', kind: 'head' });
    expect(selectRef(refs, 'v2')).toBeUndefined();
  });
  it('asks for peeled forms of every candidate', () => {
    expect(lsRemotePatterns('v1')).toEqual([
      'refs/tags/v1',
      'refs/tags/v1^{}',
      'refs/heads/v1',
      'refs/heads/v1^{}',
    ]);
  });
});
