import type { GatewayProgress, GatewayReport } from '../../src/standalone/index.ts';

/**
 * The final gateway reports a standalone run emitted (pass `record` as `onProgress`), and event-driven waits
 * on them: a wait resolves on the progress event that makes its condition true, or rejects at its deadline.
 */
export class ReportLog {
  readonly reports: GatewayReport[] = [];
  readonly #waiters = new Set<() => void>();

  /** An `onProgress` callback: keeps each Synced/Failed report and re-checks pending waits. */
  readonly record = (p: GatewayProgress): void => {
    if (p.report !== undefined && (p.state === 'Synced' || p.state === 'Failed')) this.reports.push(p.report);
    for (const waiter of [...this.#waiters]) waiter();
  };

  /** Resolves with the first report matching `predicate` (one already recorded counts). */
  reportWhere(predicate: (r: GatewayReport) => boolean, timeoutMs = 60_000): Promise<GatewayReport> {
    return this.until(() => this.reports.find(predicate), 'a matching report', timeoutMs);
  }

  /** Resolves with `check()`'s value once it is not undefined/false. */
  until<T>(check: () => T | undefined | false, what: string, timeoutMs = 60_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const waiter = (): void => {
        const value = check();
        if (value === undefined || value === false) return;
        this.#waiters.delete(waiter);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        const got = this.reports.map((r) => [r.name, r.ref, r.commit, r.status, r.error]);
        reject(
          new Error(`timed out after ${timeoutMs} ms waiting for ${what}; reports: ${JSON.stringify(got)}`),
        );
      }, timeoutMs);
      this.#waiters.add(waiter);
      waiter();
    });
  }
}
