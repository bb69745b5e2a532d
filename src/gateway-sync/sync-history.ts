import type { GatewaySyncOutcome } from './outcome.ts';

export const DEFAULT_VERIFY_INTERVAL_MS = 10 * 60_000;

export interface SyncHistoryOptions {
  /**
   * How often a gateway already at the current commit still gets a full verification pass that reports (and
   * corrects) drift: files changed on the gateway behind git's back. Default 10 minutes.
   */
  readonly verifyIntervalMs?: number | undefined;
  readonly now?: (() => number) | undefined;
}

interface GatewayMemory {
  syncedAt?: string;
  verifiedAt?: number;
  awaitingCommissioning?: boolean;
}

/**
 * What a process remembers about the gateways it syncs, and what that decides about the next sync: skip a
 * gateway already at the commit, verify every file on the first sync and then every `verifyIntervalMs`, and
 * make the sync after a commissioning gateway the post-commissioning re-sync. Memory only: a restart
 * verifies everything once, which is the safe default.
 */
export class SyncHistory {
  readonly #memory = new Map<string, GatewayMemory>();
  readonly #verifyIntervalMs: number;
  readonly #now: () => number;

  constructor(options: SyncHistoryOptions = {}) {
    this.#verifyIntervalMs = options.verifyIntervalMs ?? DEFAULT_VERIFY_INTERVAL_MS;
    this.#now = options.now ?? Date.now;
  }

  /** The gateway needs a sync to reach `commit`: not synced to it by this process, or a verification is due. */
  isDue(gateway: string, commit: string): boolean {
    return this.#memory.get(gateway)?.syncedAt !== commit || this.isVerifyDue(gateway);
  }

  /** First sync of this process, or the verification interval elapsed. */
  isVerifyDue(gateway: string): boolean {
    const last = this.#memory.get(gateway)?.verifiedAt;
    return last === undefined || this.#now() - last >= this.#verifyIntervalMs;
  }

  /** The last sync found the gateway commissioning: the next one re-syncs with a full verification. */
  isAfterCommissioning(gateway: string): boolean {
    return this.#memory.get(gateway)?.awaitingCommissioning === true;
  }

  record(outcome: GatewaySyncOutcome): void {
    const memory = this.#memory.get(outcome.gateway) ?? {};
    this.#memory.set(outcome.gateway, memory);
    memory.awaitingCommissioning = outcome.awaitingCommissioning;
    if (outcome.status === 'Synced' && !outcome.dryRun) {
      memory.syncedAt = outcome.commit;
      if (outcome.verified) memory.verifiedAt = this.#now();
    } else {
      delete memory.syncedAt;
    }
  }
}
