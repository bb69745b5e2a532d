import type { KubeClient } from '../kube/index.ts';
import type { Logger } from '../observability/index.ts';
import { readSecretKey, type SecretKeyRef, trimTrailingNewline } from './secret-reader.ts';

interface Entry {
  readonly secret: string;
  value: Buffer | undefined;
  readAtMs: number;
  refreshing: Promise<void> | undefined;
}

export interface WebhookKeysOptions {
  readonly client: KubeClient;
  readonly logger: Logger;
  /** Keys older than this are re-read in the background (rotation applies after at most this long). Default 10 s. */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

/**
 * Webhook keys (`spec.webhook.secretRef`) read through the API and held briefly in memory. `prefetch` runs
 * when an IgnitionSync with an enabled webhook appears or changes, so a delivery normally costs one map
 * lookup whether or not its target exists (no timing oracle); only the very first delivery after a cold
 * start waits for the read. A failed read keeps the key unusable (401) and is logged without the value.
 */
export class WebhookKeys {
  readonly #o: WebhookKeysOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(options: WebhookKeysOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  static #id(namespace: string, ref: SecretKeyRef): string {
    return `${namespace}/${ref.name}/${ref.key}`;
  }

  /** Starts reading the key unless it is cached and fresh. */
  prefetch(namespace: string, ref: SecretKeyRef): void {
    const entry = this.#entries.get(WebhookKeys.#id(namespace, ref));
    if (entry !== undefined && this.#now() - entry.readAtMs <= this.#maxAge()) return;
    void this.#refresh(namespace, ref);
  }

  /** The key, re-read in the background when stale; awaited only when never read before. */
  async get(namespace: string, ref: SecretKeyRef): Promise<Buffer | undefined> {
    const entry = this.#entries.get(WebhookKeys.#id(namespace, ref));
    if (entry === undefined) {
      await this.#refresh(namespace, ref);
      return this.#entries.get(WebhookKeys.#id(namespace, ref))?.value;
    }
    if (entry.refreshing === undefined && this.#now() - entry.readAtMs > this.#maxAge())
      void this.#refresh(namespace, ref);
    if (entry.value === undefined && entry.refreshing !== undefined) await entry.refreshing;
    return entry.value;
  }

  /** Forgets every key of `namespace/ignitionSync`'s Secret (the IgnitionSync was deleted). */
  forget(namespace: string, ref: SecretKeyRef): void {
    this.#entries.delete(WebhookKeys.#id(namespace, ref));
  }

  #maxAge(): number {
    return this.#o.maxAgeMs ?? 10_000;
  }

  #refresh(namespace: string, ref: SecretKeyRef): Promise<void> {
    const id = WebhookKeys.#id(namespace, ref);
    let entry = this.#entries.get(id);
    if (entry === undefined) {
      entry = { secret: `${namespace}/${ref.name}`, value: undefined, readAtMs: 0, refreshing: undefined };
      this.#entries.set(id, entry);
    }
    if (entry.refreshing !== undefined) return entry.refreshing;
    const target = entry;
    target.refreshing = (async () => {
      try {
        target.value = trimTrailingNewline(await readSecretKey(this.#o.client, namespace, ref));
      } catch (e: unknown) {
        target.value = undefined;
        this.#o.logger.warn(
          {
            secret: target.secret,
            key: ref.key,
            err: { message: e instanceof Error ? e.message : String(e) },
          },
          'webhook key unreadable; deliveries are refused',
        );
      } finally {
        target.readAtMs = this.#now();
        target.refreshing = undefined;
      }
    })();
    return target.refreshing;
  }
}
