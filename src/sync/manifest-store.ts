import { lstat, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isCode } from './fs-entry.ts';
import {
  type Manifest,
  parseManifest,
  parseSyncState,
  type SyncState,
  serializeManifest,
  serializeSyncState,
} from './manifest.ts';
import { ENGINE_DIR } from './protected-paths.ts';
import { symlinkInLiveTree } from './sync-errors.ts';

const STATE_FILE = 'state.json';
const MANIFEST_FILE = 'manifest.json';

/**
 * Reads and atomically replaces the engine's state and manifest in `<dataDir>/.ignition-sync/`. A file that
 * is missing or malformed reads as null (the next sync then plans fully). Refuses a symlinked engine folder.
 */
export class ManifestStore {
  readonly #dir: string;

  constructor(dataDir: string) {
    this.#dir = join(dataDir, ENGINE_DIR);
  }

  async readState(): Promise<SyncState | null> {
    const text = await this.#read(STATE_FILE);
    return text === null ? null : parseSyncState(text);
  }

  async readManifest(): Promise<Manifest | null> {
    const text = await this.#read(MANIFEST_FILE);
    return text === null ? null : parseManifest(text);
  }

  writeState(state: SyncState): Promise<void> {
    return this.#write(STATE_FILE, serializeSyncState(state));
  }

  writeManifest(manifest: Manifest): Promise<void> {
    return this.#write(MANIFEST_FILE, serializeManifest(manifest));
  }

  async #read(name: string): Promise<string | null> {
    if (!(await this.#isRealDir())) return null;
    try {
      return await readFile(join(this.#dir, name), 'utf8');
    } catch (e: unknown) {
      if (isCode(e, 'ENOENT')) return null;
      throw e;
    }
  }

  // temp + rename: a reader (or the next run after a kill) sees the old or the new file, never a torn one
  async #write(name: string, text: string): Promise<void> {
    if (!(await this.#isRealDir())) await mkdir(this.#dir);
    const tmp = join(this.#dir, `${name}.tmp`);
    await writeFile(tmp, text);
    await rename(tmp, join(this.#dir, name));
  }

  async #isRealDir(): Promise<boolean> {
    try {
      const st = await lstat(this.#dir);
      if (st.isSymbolicLink()) throw symlinkInLiveTree(ENGINE_DIR);
      return st.isDirectory();
    } catch (e: unknown) {
      if (isCode(e, 'ENOENT')) return false;
      throw e;
    }
  }
}
