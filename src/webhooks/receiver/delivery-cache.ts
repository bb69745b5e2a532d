/**
 * A bounded least-recently-used map from delivery key to the (possibly still pending) answer. Senders
 * retry deliveries (GitHub "redeliver", GitLab retries, Kargo step retries); a repeated ID gets the first
 * answer again instead of a second sync. In-flight entries are shared, so two concurrent copies of one
 * delivery cause one sync.
 */
export class DeliveryCache<V> {
  readonly #entries = new Map<string, Promise<V>>();
  readonly #capacity: number;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError('capacity must be a positive integer');
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Returns the cached answer for `key` (and marks it recently used), or computes, caches and returns a new
   * one. A computation that rejects is forgotten, so the sender's retry is processed again.
   */
  getOrCompute(
    key: string,
    compute: () => Promise<V>,
  ): { readonly value: Promise<V>; readonly isRepeat: boolean } {
    const existing = this.#entries.get(key);
    if (existing !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, existing);
      return { value: existing, isRepeat: true };
    }
    const value = compute();
    this.#entries.set(key, value);
    value.catch(() => {
      if (this.#entries.get(key) === value) this.#entries.delete(key);
    });
    while (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
    return { value, isRepeat: false };
  }
}
