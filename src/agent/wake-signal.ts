/**
 * A level-triggered wake-up for one consumer: `fire()` any number of times, and the next `wait()` returns
 * once (a burst of events coalesces into one wake-up). `wait` rejects when its signal aborts.
 */
export class WakeSignal {
  #fired = false;
  #waiter: (() => void) | undefined;

  fire(): void {
    this.#fired = true;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.();
  }

  wait(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.#fired) {
      this.#fired = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiter = undefined;
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiter = () => {
        signal.removeEventListener('abort', onAbort);
        this.#fired = false;
        resolve();
      };
    });
  }
}
