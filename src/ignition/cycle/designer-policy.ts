import { OperatorError, toOperatorError } from '../../errors.ts';
import type { Logger } from '../../observability/index.ts';
import { GatewayReasons } from '../../reasons/index.ts';
import type { GatewayClient } from '../client/gateway-client.ts';
import { pausePolling } from '../client/pause-polling.ts';
import type { DesignerSession } from '../gateway-types.ts';

/** What to do when Designer sessions are open: `proceed` (default; log), `wait` (until closed), `fail`. */
export type DesignerSessionPolicy = 'proceed' | 'wait' | 'fail';

export interface DesignerPolicyOptions {
  readonly policy: DesignerSessionPolicy;
  /** `wait`: give up after this long (default 5 min) with a `waiting` DesignerSessionActive error. */
  readonly waitTimeoutMs?: number | undefined;
  readonly pollIntervalMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly logger?: Logger | undefined;
}

export interface DesignerPolicyOutcome {
  /** Sessions open when the cycle went ahead (non-empty only under `proceed`). */
  readonly sessions: readonly DesignerSession[];
  readonly waitedMs: number;
}

/**
 * Applies the designer-session policy before anything is written. `proceed` never blocks a sync: a failed
 * listing is logged and ignored (as stoker does). `wait` and `fail` need a listing they can trust, so a
 * listing error propagates.
 */
export async function enforceDesignerPolicy(
  client: GatewayClient,
  options: DesignerPolicyOptions,
): Promise<DesignerPolicyOutcome> {
  const started = Date.now();
  if (options.policy === 'proceed') {
    const sessions = await client.listDesigners({ signal: options.signal }).catch((e: unknown) => {
      const err = toOperatorError(e, GatewayReasons.GatewayUnreachable);
      if (err.reason === GatewayReasons.SyncCancelled) throw err;
      options.logger?.warn({ err }, 'designer sessions unknown; proceeding');
      return [];
    });
    if (sessions.length > 0) {
      options.logger?.info({ sessions: summarize(sessions) }, 'designer sessions open; proceeding by policy');
    }
    return { sessions, waitedMs: 0 };
  }
  const deadline = started + (options.waitTimeoutMs ?? 300_000);
  const interval = options.pollIntervalMs ?? 5_000;
  for (;;) {
    const sessions = await client.listDesigners({ signal: options.signal });
    if (sessions.length === 0) return { sessions: [], waitedMs: Date.now() - started };
    if (options.policy === 'fail') {
      throw new OperatorError(
        GatewayReasons.DesignerSessionActive,
        `designer sessions open (${describe(sessions)}) and the designer session policy is fail: nothing was written; close the sessions or change the policy`,
        { kind: 'stalling', details: { policy: 'fail', sessions: summarize(sessions) } },
      );
    }
    if (Date.now() + interval > deadline) {
      throw new OperatorError(
        GatewayReasons.DesignerSessionActive,
        `designer sessions still open after ${Math.round((Date.now() - started) / 1000)}s (${describe(sessions)}): nothing was written; the sync retries later`,
        { kind: 'waiting', details: { policy: 'wait', sessions: summarize(sessions) } },
      );
    }
    options.logger?.debug({ sessions: sessions.length }, 'waiting for designer sessions to close');
    await pausePolling(interval, options.signal, 'designer sessions');
  }
}

function summarize(sessions: readonly DesignerSession[]): { id: string; user: string; project: string }[] {
  return sessions.map((s) => ({ id: s.id, user: s.user, project: s.project }));
}

function describe(sessions: readonly DesignerSession[]): string {
  const shown = sessions.slice(0, 3).map((s) => `${s.user} on ${s.project}`);
  return sessions.length > 3 ? `${shown.join(', ')} and ${sessions.length - 3} more` : shown.join(', ');
}
