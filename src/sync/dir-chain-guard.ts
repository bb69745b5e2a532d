import { lstat, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { OperatorError } from '../errors.ts';
import { SyncReasons } from '../reasons/index.ts';
import { isCode } from './fs-entry.ts';
import { symlinkInLiveTree } from './sync-errors.ts';

export type DirState = 'dir' | 'missing' | 'symlink' | 'not-dir';

export interface ChainState {
  readonly state: DirState;
  /** The first component that is not a real directory (or the directory itself when state is 'dir'). */
  readonly at: string;
}

/**
 * Answers "is every component from the root down to this directory a real directory?" with one lstat per
 * distinct component per run (memoised), and creates missing directories. This is how the engine refuses to
 * read, write or delete through a symlink: lstat never follows the final component, and every parent
 * component is checked the same way.
 */
export class DirChainGuard {
  readonly #root: string;
  readonly #states = new Map<string, Promise<DirState>>();
  readonly #ensured = new Map<string, Promise<void>>();

  constructor(rootAbs: string) {
    this.#root = rootAbs;
  }

  async inspect(dir: string): Promise<ChainState> {
    if (dir === '') return { state: 'dir', at: '' };
    let prefix = '';
    for (const segment of dir.split('/')) {
      prefix = prefix === '' ? segment : `${prefix}/${segment}`;
      const state = await this.#stateOf(prefix);
      if (state !== 'dir') return { state, at: prefix };
    }
    return { state: 'dir', at: dir };
  }

  /** Creates `dir` and its missing parents; throws SymlinkInLiveTree / ApplyFailed on a non-directory. */
  ensure(dir: string): Promise<void> {
    let pending = this.#ensured.get(dir);
    if (pending === undefined) {
      pending = this.#create(dir);
      this.#ensured.set(dir, pending);
      pending.catch(() => this.#ensured.delete(dir));
    }
    return pending;
  }

  /** Call after removing `dir`. */
  forget(dir: string): void {
    this.#states.set(dir, Promise.resolve('missing'));
    for (const key of [...this.#ensured.keys()])
      if (key === dir || key.startsWith(`${dir}/`)) this.#ensured.delete(key);
  }

  async #create(dir: string): Promise<void> {
    const chain = await this.inspect(dir);
    if (chain.state === 'dir') return;
    if (chain.state === 'symlink') throw symlinkInLiveTree(chain.at);
    if (chain.state === 'not-dir') {
      throw new OperatorError(
        SyncReasons.ApplyFailed,
        `cannot create directory ${chain.at}: a file is in the way`,
      );
    }
    // every component above chain.at is a real directory (inspect checked them)
    try {
      await mkdir(join(this.#root, chain.at));
    } catch (e: unknown) {
      if (!isCode(e, 'EEXIST')) throw e;
      this.#states.delete(chain.at);
      const again = await this.#stateOf(chain.at);
      if (again === 'symlink') throw symlinkInLiveTree(chain.at);
      if (again !== 'dir') throw e;
    }
    this.#states.set(chain.at, Promise.resolve('dir'));
    if (chain.at !== dir) await this.#create(dir);
  }

  #stateOf(path: string): Promise<DirState> {
    let state = this.#states.get(path);
    if (state === undefined) {
      state = lstat(join(this.#root, path)).then(
        (st): DirState => (st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'not-dir'),
        (e: unknown): DirState => {
          if (isCode(e, 'ENOENT') || isCode(e, 'ENOTDIR')) return 'missing';
          throw e;
        },
      );
      this.#states.set(path, state);
    }
    return state;
  }
}
