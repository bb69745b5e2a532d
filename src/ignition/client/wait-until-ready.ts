import { OperatorError, toOperatorError } from '../../errors.ts';
import type { Logger } from '../../observability/index.ts';
import { GatewayReasons } from '../../reasons/index.ts';
import type { StatusPing } from '../gateway-types.ts';
import type { GwInfo } from '../gwinfo.ts';
import type { GatewayClient } from './gateway-client.ts';
import { pausePolling } from './pause-polling.ts';

export type GatewayReadiness = 'ready' | 'starting' | 'commissioning' | 'unreachable';

/**
 * Pure readiness rule: StatusPing RUNNING without `details: COMMISSIONING`, and gwinfo (when available)
 * `ContextStatus=RUNNING`. RUNNING+COMMISSIONING and `NEEDS_COMMISSIONING` are not ready: commissioning
 * happens before `data/config` exists.
 */
export function assessReadiness(ping: StatusPing, gwinfo: GwInfo | undefined): GatewayReadiness {
  if (ping.details === 'COMMISSIONING') return 'commissioning';
  if (ping.state !== 'RUNNING') return 'starting';
  const context = gwinfo?.ContextStatus;
  if (context === undefined || context === 'RUNNING') return 'ready';
  if (context.includes('COMMISSIONING')) return 'commissioning';
  return 'starting';
}

export interface WaitUntilReadyOptions {
  /** Give up after this long (default 120 s: a gateway restart takes about 40 s). */
  readonly timeoutMs?: number | undefined;
  readonly pollIntervalMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly logger?: Logger | undefined;
}

export interface ReadyResult {
  readonly waitedMs: number;
  /**
   * The gateway was seen commissioning (first boot) and is now running. Commissioning rewrites some
   * resources, so the caller must re-apply with a full verification pass and scan.
   */
  readonly observedCommissioning: boolean;
}

/** Polls StatusPing (+ gwinfo) until the gateway is ready. Throws the last not-ready reason at the deadline. */
export async function waitUntilReady(
  client: GatewayClient,
  options: WaitUntilReadyOptions = {},
): Promise<ReadyResult> {
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? 120_000);
  const interval = options.pollIntervalMs ?? 1_000;
  let observedCommissioning = false;
  let last: OperatorError | undefined;
  let lastState: GatewayReadiness | undefined;
  for (;;) {
    const state = await probeReadiness(client, options.signal).catch((e: unknown) => {
      last = toOperatorError(e, GatewayReasons.GatewayUnreachable);
      if (last.reason === GatewayReasons.SyncCancelled || last.kind === 'stalling') throw last;
      return 'unreachable' as const;
    });
    if (state !== lastState) options.logger?.info({ url: client.url, state }, 'gateway readiness');
    lastState = state;
    if (state === 'commissioning') observedCommissioning = true;
    if (state === 'ready') return { waitedMs: Date.now() - started, observedCommissioning };
    if (Date.now() + interval > deadline) throw notReadyError(state, last, client.url);
    await pausePolling(interval, options.signal, 'gateway');
  }
}

async function probeReadiness(
  client: GatewayClient,
  signal: AbortSignal | undefined,
): Promise<GatewayReadiness> {
  const ping = await client.statusPing({ signal });
  if (ping.state !== 'RUNNING' || ping.details === 'COMMISSIONING') return assessReadiness(ping, undefined);
  const gwinfo = await client.gwinfo({ signal }).catch((e: unknown) => {
    const err = toOperatorError(e, GatewayReasons.GatewayUnreachable);
    // gwinfo is optional evidence; a 404 (route absent) or protocol issue must not block readiness.
    if (err.reason === GatewayReasons.GatewayProtocolError) return undefined;
    throw err;
  });
  return assessReadiness(ping, gwinfo);
}

function notReadyError(state: GatewayReadiness, last: OperatorError | undefined, url: string): OperatorError {
  if (state === 'commissioning') {
    return new OperatorError(
      GatewayReasons.GatewayNotCommissioned,
      `gateway ${url} is not commissioned: it is still in first-boot commissioning`,
      { kind: 'waiting' },
    );
  }
  if (state === 'starting') {
    return new OperatorError(GatewayReasons.GatewayStarting, `gateway ${url} is still starting`, {
      kind: 'waiting',
    });
  }
  return (
    last ??
    new OperatorError(GatewayReasons.GatewayUnreachable, `gateway ${url} unreachable`, { kind: 'transient' })
  );
}
