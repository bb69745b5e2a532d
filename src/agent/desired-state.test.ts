import { describe, expect, it } from 'vitest';
import { DESIRED_STATE_KEY } from '../api/index.ts';
import { readDesiredState } from './desired-state.ts';

const VALID = {
  version: 1,
  ignitionSync: 'plant',
  repo: 'file:///srv/plant.git',
  ref: 'main',
  commit: 'c'.repeat(40),
  auth: { kind: 'none' },
  excludePatterns: [],
  gateway: { port: 8088, tls: false },
  profiles: {},
  paused: false,
};

const cm = (data: Record<string, string>) => ({ metadata: { name: 'plant.desired' }, data });

describe('readDesiredState', () => {
  it('an absent ConfigMap is missing', () => {
    expect(readDesiredState(undefined)).toEqual({ kind: 'missing' });
  });

  it('a valid desired.json is parsed with the contract schema', () => {
    const read = readDesiredState(cm({ [DESIRED_STATE_KEY]: JSON.stringify(VALID) }));
    expect(read.kind === 'ok' && read.desired.commit).toBe('c'.repeat(40));
  });

  it.each([
    ['no key', undefined, 'has no desired.json key'],
    ['not JSON', '{"version":', 'desired.json is not JSON'],
    [
      'a short commit',
      JSON.stringify({ ...VALID, commit: 'abc' }),
      'commit: must be a full 40-hex commit id',
    ],
    ['an unknown field', JSON.stringify({ ...VALID, extra: 1 }), 'does not match the contract'],
  ])('%s is invalid with DesiredStateInvalid (stalling) naming the problem', (_what, text, expected) => {
    const read = readDesiredState(cm(text === undefined ? {} : { [DESIRED_STATE_KEY]: text }));
    expect(read.kind).toBe('invalid');
    if (read.kind !== 'invalid') return;
    expect(read.error.reason).toBe('DesiredStateInvalid');
    expect(read.error.kind).toBe('stalling');
    expect(read.error.message).toContain('desired state plant.desired');
    expect(read.error.message).toContain(expected);
  });
});
