/**
 * At most `limit` tasks run at once; the others wait in FIFO order (seed: "Queue excess gateways; process
 * in FIFO order").
 */
export class ConcurrencyGate {
  readonly #limit: number;
  readonly #waiting: Array<() => void> = [];
  #running = 0;

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
    this.#limit = limit;
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.#waiting.length;
  }

  /** Runs `task` once a slot is free; `onStart(queued)` first says whether it had to wait for one. */
  async run<T>(task: () => Promise<T>, onStart?: (queued: boolean) => void): Promise<T> {
    const queued = this.#running >= this.#limit;
    if (queued) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running += 1;
    }
    try {
      onStart?.(queued);
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next === undefined) this.#running -= 1;
      else next();
    }
  }
}
