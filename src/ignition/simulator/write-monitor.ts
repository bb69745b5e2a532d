import { type FSWatcher, watch } from 'node:fs';

export interface WriteEvent {
  /** Epoch ms at which the event was seen. */
  readonly time: number;
  /** Posix path relative to the data dir. */
  readonly path: string;
  /** Kinds whose scan lock was held when the write was seen. */
  readonly lockedKinds: readonly string[];
  /** Written by the simulated gateway itself. */
  readonly byGateway: boolean;
}

export interface WriteMonitorOptions {
  readonly dataDir: string;
  readonly lockedKinds: () => readonly string[];
  readonly now: () => number;
  /** Bound on the kept log (oldest dropped). */
  readonly maxEvents?: number;
}

const ENGINE_DIR = '.ignition-sync/';

/**
 * Records write activity in the data dir via a recursive fs.watch (inotify; no polling). Events in the
 * engine's own `.ignition-sync/` folder are ignored. The simulator marks its own writes so they are not
 * attributed to the sync.
 */
export class WriteMonitor {
  readonly #options: WriteMonitorOptions;
  readonly #events: WriteEvent[] = [];
  readonly #own = new Map<string, number>();
  #watcher: FSWatcher | undefined;

  constructor(options: WriteMonitorOptions) {
    this.#options = options;
  }

  start(): void {
    this.#watcher = watch(this.#options.dataDir, { recursive: true, persistent: false }, (_event, file) => {
      if (file === null) return;
      const path = file.split('\\').join('/');
      if (path.startsWith(ENGINE_DIR) || path === '.ignition-sync') return;
      const now = this.#options.now();
      const ownUntil = this.#own.get(path);
      this.#events.push({
        time: now,
        path,
        lockedKinds: [...this.#options.lockedKinds()],
        byGateway: ownUntil !== undefined && ownUntil >= now,
      });
      const max = this.#options.maxEvents ?? 50_000;
      if (this.#events.length > max) this.#events.splice(0, this.#events.length - max);
    });
    this.#watcher.on('error', () => {
      // The data dir may be removed by a test before close(); activity tracking then simply stops.
    });
  }

  /** Marks a path the simulated gateway is about to write (events within 2 s are its own). */
  markOwnWrite(path: string): void {
    this.#own.set(path, this.#options.now() + 2_000);
  }

  events(since = 0): WriteEvent[] {
    return this.#events.filter((e) => e.time >= since);
  }

  clear(): void {
    this.#events.length = 0;
  }

  close(): void {
    this.#watcher?.close();
    this.#watcher = undefined;
  }
}
