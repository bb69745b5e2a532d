/** A gateway's position, as a report or a status entry gives it. */
export interface GatewayPosition {
  /** Unique within its IgnitionSync (the pod name in Kubernetes, the Gateway name in `run`). */
  readonly id: string;
  /** The commit its data dir is at (undefined: never synced or unknown). */
  readonly commit: string | undefined;
}

interface Desired {
  readonly commit: string;
  readonly sinceMs: number;
  /** Gateways already counted as arrived at `commit`. */
  readonly arrived: Set<string>;
}

/**
 * Pure bookkeeping behind `ignition_sync_commit_lag_seconds` and `ignition_sync_gateways_behind`: when each
 * IgnitionSync's desired commit became desired (resolved by `run`, published by the controller), and which
 * gateways have reported it since. A gateway counts once per desired commit; a gateway already at the commit
 * when it became desired is not a lag of zero but no observation. A commit this process did not see become
 * desired (a restarted controller) has no start time, so it yields no lags rather than wrong ones.
 */
export class CommitLagTracker {
  readonly #desired = new Map<string, Desired>();

  /**
   * `commit` is desired for `key` from `nowMs` (no-op when it already was). `positions`: where the gateways
   * are at that moment (those already there are not counted as arrivals later).
   */
  noteDesired(key: string, commit: string, nowMs: number, positions: readonly GatewayPosition[] = []): void {
    if (this.#desired.get(key)?.commit === commit) return;
    const arrived = new Set(positions.filter((p) => p.commit === commit).map((p) => p.id));
    this.#desired.set(key, { commit, sinceMs: nowMs, arrived });
  }

  /** The lag in seconds of each gateway that reached the desired commit since the last call. */
  arrivals(key: string, positions: readonly GatewayPosition[], nowMs: number): number[] {
    const desired = this.#desired.get(key);
    if (desired === undefined) return [];
    const lags: number[] = [];
    for (const p of positions) {
      if (p.commit !== desired.commit || desired.arrived.has(p.id)) continue;
      desired.arrived.add(p.id);
      lags.push(Math.max(0, nowMs - desired.sinceMs) / 1000);
    }
    return lags;
  }

  /** `id` was found already at `commit` (no sync moved it there): not an arrival. */
  markPresent(key: string, id: string, commit: string): void {
    const desired = this.#desired.get(key);
    if (desired?.commit === commit) desired.arrived.add(id);
  }

  /** How many of `positions` are not at `desiredCommit`. */
  static behind(positions: readonly GatewayPosition[], desiredCommit: string): number {
    return positions.filter((p) => p.commit !== desiredCommit).length;
  }

  forget(key: string): void {
    this.#desired.delete(key);
  }
}
