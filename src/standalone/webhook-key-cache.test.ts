import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SecretsDir } from './secrets-dir.ts';
import { WebhookKeyCache } from './webhook-key-cache.ts';

let dir: string;
const ref = { name: 'sync-webhook-secret', key: 'hmac-key' };

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'igs-keys-'));
  await mkdir(join(dir, ref.name));
  await writeFile(join(dir, ref.name, ref.key), 'first\n');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('WebhookKeyCache', () => {
  it('serves preloaded keys from memory (trailing newline removed) and picks up a rotation once stale', async () => {
    let now = 0;
    const errors: unknown[] = [];
    const cache = new WebhookKeyCache({
      secrets: new SecretsDir(dir),
      maxAgeMs: 1000,
      now: () => now,
      onError: (_r, e) => errors.push(e),
    });
    await cache.preload([ref]);
    expect(cache.get(ref)?.toString()).toBe('first');
    await writeFile(join(dir, ref.name, ref.key), 'second');
    now = 500;
    expect(cache.get(ref)?.toString()).toBe('first');
    now = 2000;
    expect(cache.get(ref)?.toString()).toBe('first'); // stale: served once more while re-reading
    await cache.settled();
    expect(cache.get(ref)?.toString()).toBe('second');
    expect(errors).toEqual([]);
  });

  it('an unreadable key is undefined (deliveries are refused) and reported', async () => {
    const errors: unknown[] = [];
    const cache = new WebhookKeyCache({ secrets: new SecretsDir(dir), onError: (_r, e) => errors.push(e) });
    await cache.preload([{ name: 'missing', key: 'k' }]);
    expect(cache.get({ name: 'missing', key: 'k' })).toBeUndefined();
    expect(errors).toHaveLength(1);
  });
});
