import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type SyncInput, syncDataDir } from '../../../src/sync/index.ts';
import { makeTempDir, removeDir, type TreeSpec, writeTree } from './tree-fixture.ts';

/** A repository directory and a gateway data directory in a fresh temp dir pair. */
export interface SyncFixture {
  readonly sourceDir: string;
  readonly dataDir: string;
  repo(spec: TreeSpec): Promise<void>;
  live(spec: TreeSpec): Promise<void>;
  sync(input: Partial<SyncInput> & Pick<SyncInput, 'profile'>): ReturnType<typeof syncDataDir>;
  readLive(path: string): Promise<string>;
  readState(): Promise<unknown>;
  writeEngineFile(name: string, text: string): Promise<void>;
  cleanup(): Promise<void>;
}

export async function createSyncFixture(): Promise<SyncFixture> {
  const sourceDir = await makeTempDir('repo');
  const dataDir = await makeTempDir('data');
  let commitCounter = 0;
  return {
    sourceDir,
    dataDir,
    repo: (spec) => writeTree(sourceDir, spec),
    live: (spec) => writeTree(dataDir, spec),
    sync: (input) => {
      commitCounter += 1;
      return syncDataDir({ sourceDir, dataDir, commit: `commit-${commitCounter}`, ...input });
    },
    readLive: (path) => readFile(join(dataDir, path), 'utf8'),
    readState: async () => JSON.parse(await readFile(join(dataDir, '.ignition-sync', 'state.json'), 'utf8')),
    writeEngineFile: (name, text) => writeFile(join(dataDir, '.ignition-sync', name), text),
    cleanup: async () => {
      await removeDir(sourceDir);
      await removeDir(dataDir);
    },
  };
}
