import { OperatorError } from '../../errors.ts';
import { GatewayReasons } from '../../reasons/index.ts';
import type { GatewayClient } from '../client/gateway-client.ts';
import { pausePolling } from '../client/pause-polling.ts';
import type { ScanKind, ScanStatus } from '../gateway-types.ts';

export interface ScanOutcome {
  readonly kind: ScanKind;
  /** Client clock (epoch ms) taken just before the first POST: the write had finished by then. */
  readonly requestedAt: number;
  /** The gateway's `lastScanTimestamp` of the scan we waited for. */
  readonly scanTimestamp: number;
  readonly scanDurationMs: number;
  /** How long we waited from the POST until the scan was seen finished. */
  readonly waitedMs: number;
  /** POSTs sent (more than one when the first joined a scan that had begun before the write ended). */
  readonly posts: number;
}

export interface AwaitScanOptions {
  /** Deadline for the scan to finish (default 120 s); a stuck scan ends in ScanTimeout. */
  readonly timeoutMs?: number | undefined;
  readonly pollIntervalMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

const MAX_POSTS = 3;
const FIRST_POLL_MS = 25;

/**
 * `POST scan/{kind}` then poll `GET scan/{kind}` until `scanActive == false` and `lastScanTimestamp >=`
 * the time taken just before the POST: the scan that began after the write finished. A POST during a
 * running scan joins it; when that older scan ends we POST again (bounded), so a scan that started mid-write
 * never counts as "applied".
 */
export async function scanAndAwait(
  client: GatewayClient,
  kind: ScanKind,
  options: AwaitScanOptions = {},
): Promise<ScanOutcome> {
  const requestedAt = Date.now();
  const deadline = requestedAt + (options.timeoutMs ?? 120_000);
  // Scans of a few changed files finish in tens of milliseconds: poll soon, then back off to the interval.
  const interval = options.pollIntervalMs ?? 250;
  let pause = Math.min(FIRST_POLL_MS, interval);
  let status: ScanStatus = await client.startScan(kind, { signal: options.signal });
  let posts = 1;
  for (;;) {
    if (!status.scanActive && status.lastScanTimestamp >= requestedAt) {
      return {
        kind,
        requestedAt,
        scanTimestamp: status.lastScanTimestamp,
        scanDurationMs: status.lastScanDuration,
        waitedMs: Date.now() - requestedAt,
        posts,
      };
    }
    if (Date.now() + pause > deadline) {
      throw new OperatorError(
        GatewayReasons.ScanTimeout,
        `${kind} scan did not finish within ${Math.round((deadline - requestedAt) / 1000)}s (scanActive=${status.scanActive}): the gateway may be stuck; files are written and the next scan will load them`,
        { details: { kind, scanActive: status.scanActive, lastScanTimestamp: status.lastScanTimestamp } },
      );
    }
    await pausePolling(pause, options.signal, `${kind} scan`);
    pause = Math.min(pause * 2, interval);
    status = await client.getScanStatus(kind, { signal: options.signal });
    if (!status.scanActive && status.lastScanTimestamp < requestedAt && posts < MAX_POSTS) {
      status = await client.startScan(kind, { signal: options.signal });
      posts += 1;
    }
  }
}

/**
 * Waits until no scan of `kind` is running. Used before writing on gateways without scan locks, so a
 * scan that is already running cannot read a half-written tree (a new one can still start: that is why
 * locks are preferred and the fallback is reported).
 */
export async function waitForIdleScan(
  client: GatewayClient,
  kind: ScanKind,
  options: AwaitScanOptions = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  const interval = options.pollIntervalMs ?? 250;
  while ((await client.getScanStatus(kind, { signal: options.signal })).scanActive) {
    if (Date.now() + interval > deadline) {
      throw new OperatorError(
        GatewayReasons.ScanTimeout,
        `${kind} scan still running before the write: the gateway may be stuck`,
        {
          details: { kind },
        },
      );
    }
    await pausePolling(interval, options.signal, `a running ${kind} scan`);
  }
}
