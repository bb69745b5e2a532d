import type { SecretRef, SecretsDir } from './secrets-dir.ts';

interface Entry {
  value: Buffer | undefined;
  readAt: number;
  refreshing: boolean;
}

/**
 * Webhook keys held in memory so that a lookup costs the same whether the target exists or not (a file
 * read only for known targets would be a timing oracle for which IgnitionSyncs exist). Keys are loaded
 * before the receiver listens and re-read in the background when older than `maxAgeMs`, so a rotated
 * Secret file takes effect on the next delivery after that.
 */
export class WebhookKeyCache {
  readonly #secrets: SecretsDir;
  readonly #maxAgeMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  readonly #onError: (ref: SecretRef, e: unknown) => void;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(options: {
    secrets: SecretsDir;
    maxAgeMs?: number;
    now?: () => number;
    onError: (ref: SecretRef, e: unknown) => void;
  }) {
    this.#secrets = options.secrets;
    this.#maxAgeMs = options.maxAgeMs ?? 10_000;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError;
  }

  static keyOf(ref: SecretRef): string {
    return `${ref.name}/${ref.key}`;
  }

  /** Reads every key now (before serving). */
  async preload(refs: readonly SecretRef[]): Promise<void> {
    await Promise.all(refs.map((ref) => this.#refresh(ref)));
  }

  /** The cached key (undefined when unreadable); schedules a background re-read when stale. */
  get(ref: SecretRef): Buffer | undefined {
    const entry = this.#entries.get(WebhookKeyCache.keyOf(ref));
    if (entry === undefined || (!entry.refreshing && this.#now() - entry.readAt > this.#maxAgeMs)) {
      const refresh = this.#refresh(ref);
      this.#inFlight.add(refresh);
      refresh.finally(() => this.#inFlight.delete(refresh)).catch(() => {});
    }
    return entry?.value;
  }

  /** Resolves once background re-reads started so far have finished. */
  async settled(): Promise<void> {
    await Promise.all([...this.#inFlight]);
  }

  async #refresh(ref: SecretRef): Promise<void> {
    const key = WebhookKeyCache.keyOf(ref);
    const entry = this.#entries.get(key) ?? { value: undefined, readAt: 0, refreshing: false };
    entry.refreshing = true;
    this.#entries.set(key, entry);
    try {
      entry.value = await this.#secrets.read(ref);
    } catch (e: unknown) {
      entry.value = undefined;
      this.#onError(ref, e);
    } finally {
      entry.readAt = this.#now();
      entry.refreshing = false;
    }
  }
}
