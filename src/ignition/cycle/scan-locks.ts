import { OperatorError, toOperatorError } from '../../errors.ts';
import type { Logger } from '../../observability/index.ts';
import { GatewayReasons } from '../../reasons/index.ts';
import type { GatewayClient } from '../client/gateway-client.ts';
import type { ScanKind } from '../gateway-types.ts';

export type LockMode = 'locked' | 'unsupported' | 'skipped';

export interface LockOptions {
  readonly acquireTimeoutS?: number | undefined;
  readonly holdTimeoutS?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly logger?: Logger | undefined;
}

export interface AcquiredLocks {
  readonly mode: LockMode;
  /** Kinds whose lock we hold (released by the next `POST scan/{kind}` or by expiry). */
  readonly held: readonly ScanKind[];
  /** Kinds whose lock was already ours (left by an earlier cycle that failed mid-apply). */
  readonly adopted: readonly ScanKind[];
}

/**
 * Takes the scan locks, config first. A gateway without the scan-lock route (404) degrades to
 * `unsupported`. A 409 whose holder is our own token (an earlier cycle failed between lock and scan and
 * left it held on purpose) is adopted. On failure after a partial acquisition, the locks already taken are
 * released by a scan POST: nothing has been written yet, so that scan loads nothing new.
 */
export async function acquireScanLocks(
  client: GatewayClient,
  kinds: readonly ScanKind[],
  options: LockOptions,
): Promise<AcquiredLocks> {
  const held: ScanKind[] = [];
  const adopted: ScanKind[] = [];
  try {
    for (const kind of kinds) {
      const outcome = await acquireOne(client, kind, options);
      if (outcome === 'unsupported') {
        options.logger?.warn({ kind }, 'gateway has no scan-lock route; syncing without locks');
        await releaseByScan(client, held, options);
        return { mode: 'unsupported', held: [], adopted: [] };
      }
      held.push(kind);
      if (outcome === 'adopted') adopted.push(kind);
    }
  } catch (e: unknown) {
    await releaseByScan(client, held, options);
    throw e;
  }
  return { mode: 'locked', held, adopted };
}

async function acquireOne(
  client: GatewayClient,
  kind: ScanKind,
  options: LockOptions,
): Promise<'acquired' | 'adopted' | 'unsupported'> {
  try {
    const lock = await client.acquireScanLock(kind, {
      signal: options.signal,
      acquireTimeoutS: options.acquireTimeoutS ?? 10,
      holdTimeoutS: options.holdTimeoutS ?? 120,
    });
    if (lock === undefined) return 'unsupported';
    options.logger?.debug({ kind, remainingMs: lock.remaining }, 'scan lock acquired');
    return 'acquired';
  } catch (e: unknown) {
    const err = toOperatorError(e, GatewayReasons.ScanLockHeld);
    if (err.reason !== GatewayReasons.ScanLockHeld) throw err;
    const [current, me] = await Promise.all([
      client.getScanLock(kind, { signal: options.signal }),
      client.tokenName(),
    ]);
    if (current && me !== undefined && current.actor === me) {
      options.logger?.info({ kind }, 'scan lock already held by this token; adopting it');
      return 'adopted';
    }
    throw new OperatorError(err.reason, err.message, {
      kind: 'transient',
      cause: err,
      details: { kind, holder: current ? current.actor : null },
    });
  }
}

/** Releases held locks by scanning (the documented release); best effort, failures are logged. */
export async function releaseByScan(
  client: GatewayClient,
  kinds: readonly ScanKind[],
  options: LockOptions,
): Promise<void> {
  for (const kind of kinds) {
    try {
      await client.startScan(kind, { signal: options.signal });
    } catch (e: unknown) {
      options.logger?.warn(
        { kind, err: toOperatorError(e, GatewayReasons.GatewayUnreachable) },
        'scan lock release failed; it expires after its hold timeout',
      );
    }
  }
}
