import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSyncFixture, type SyncFixture } from './sync-harness.ts';
import { contentsOf, readTree } from './tree-fixture.ts';

// Found by the property test: one change set makes an earlier mapping want a directory where a later
// mapping wants a file. The later mapping wins, as in a full plan.
describe('overlay clash inside one change set', () => {
  let f: SyncFixture;
  beforeEach(async () => {
    f = await createSyncFixture();
  });
  afterEach(async () => f.cleanup());

  it('falls back to a full plan and lets the later mapping win', async () => {
    const profile = {
      mappings: [
        { source: 'src1', destination: 'projects' },
        { source: 'src2', destination: 'projects/a' },
      ],
    };
    await f.repo({ 'src1/b': 'one', 'src2/a': 'two' });
    await f.sync({ profile, commit: 'c1' });
    await rm(join(f.sourceDir, 'src1'), { recursive: true });
    await rm(join(f.sourceDir, 'src2'), { recursive: true });
    await f.repo({ 'src1/a/b/a': 'dir-side', 'src2/b': 'file-side' });
    const result = await f.sync({
      profile,
      commit: 'c2',
      changesFrom: 'c1',
      changes: [
        { status: 'D', path: 'src1/b' },
        { status: 'A', path: 'src1/a/b/a' },
        { status: 'D', path: 'src2/a' },
        { status: 'A', path: 'src2/b' },
      ],
    });
    expect(result.strategy).toBe('full');
    expect(result.skipped).toContainEqual(
      expect.objectContaining({ path: 'projects/a/b/a', reason: 'overlay-conflict' }),
    );
    expect(contentsOf(await readTree(f.dataDir, ['.ignition-sync']))).toEqual({
      'projects/a/b': 'file-side',
    });
  });
});
