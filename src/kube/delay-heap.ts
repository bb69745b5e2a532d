/** One waiting key in a {@link DelayHeap}. */
export interface DelayedKey {
  readonly key: string;
  readyAt: number;
  index: number;
}

/**
 * Min-heap of keys ordered by `readyAt`, with at most one entry per key (client-go's `waitingForQueue`).
 * Re-adding a waiting key only moves it earlier, never later.
 */
export class DelayHeap {
  readonly #items: DelayedKey[] = [];
  readonly #byKey = new Map<string, DelayedKey>();

  get size(): number {
    return this.#items.length;
  }

  peek(): DelayedKey | undefined {
    return this.#items[0];
  }

  /** Inserts `key`, or moves an existing entry earlier. Returns true when the heap top may have changed. */
  push(key: string, readyAt: number): boolean {
    const existing = this.#byKey.get(key);
    if (existing !== undefined) {
      if (readyAt >= existing.readyAt) return false;
      existing.readyAt = readyAt;
      this.#up(existing.index);
      return true;
    }
    const item: DelayedKey = { key, readyAt, index: this.#items.length };
    this.#items.push(item);
    this.#byKey.set(key, item);
    this.#up(item.index);
    return true;
  }

  /** Removes and returns the earliest entry. */
  pop(): DelayedKey | undefined {
    const top = this.#items[0];
    if (top === undefined) return undefined;
    const last = this.#items.pop();
    if (last !== undefined && last !== top) {
      this.#items[0] = last;
      last.index = 0;
      this.#down(0);
    }
    this.#byKey.delete(top.key);
    return top;
  }

  clear(): void {
    this.#items.length = 0;
    this.#byKey.clear();
  }

  #swap(i: number, j: number): void {
    const a = this.#items[i];
    const b = this.#items[j];
    if (a === undefined || b === undefined) return;
    this.#items[i] = b;
    this.#items[j] = a;
    a.index = j;
    b.index = i;
  }

  #less(i: number, j: number): boolean {
    return (
      (this.#items[i]?.readyAt ?? Number.POSITIVE_INFINITY) <
      (this.#items[j]?.readyAt ?? Number.POSITIVE_INFINITY)
    );
  }

  #up(i: number): void {
    let child = i;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.#less(child, parent)) break;
      this.#swap(child, parent);
      child = parent;
    }
  }

  #down(i: number): void {
    let parent = i;
    for (;;) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let smallest = parent;
      if (left < this.#items.length && this.#less(left, smallest)) smallest = left;
      if (right < this.#items.length && this.#less(right, smallest)) smallest = right;
      if (smallest === parent) return;
      this.#swap(parent, smallest);
      parent = smallest;
    }
  }
}
