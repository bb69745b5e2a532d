import { describe, expect, it } from 'vitest';
import { parseManifest, parseSyncState, serializeManifest } from './manifest.ts';

describe('manifest format', () => {
  it('round-trips entries with unusual names', () => {
    const entries = new Map([
      ['projects/__proto__', { hash: 'a'.repeat(64), size: 1, mode: 0o644 }],
      ['projects/new\nline "q".json', { hash: 'b'.repeat(64), size: 2, mode: 0o755 }],
    ]);
    const text = serializeManifest({ id: 'id-1', fingerprint: 'fp', roots: ['d:projects'], entries });
    expect(parseManifest(text)).toEqual({ id: 'id-1', fingerprint: 'fp', roots: ['d:projects'], entries });
  });

  it.each([
    '',
    '{',
    '{"version":1}',
    '{"version":1,"id":"x","fingerprint":"f","roots":[],"entries":["p","h",1]}',
    'null',
  ])('malformed %j reads as null (the next sync plans fully)', (text) => {
    expect(parseManifest(text)).toBeNull();
  });

  it('state must be one of the two phases', () => {
    expect(
      parseSyncState('{"version":1,"phase":"applied","commit":"c","fingerprint":"f","manifestId":"m"}'),
    ).not.toBeNull();
    expect(parseSyncState('{"version":1,"phase":"applied","commit":"c"}')).toBeNull();
  });
});
