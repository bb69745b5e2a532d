import { stat } from 'node:fs/promises';
import { OperatorError, toOperatorError } from '../errors.ts';
import { GatewayClient, GatewayReasons, runSyncCycle, type SyncCycleOptions } from '../ignition/index.ts';
import type { Logger } from '../observability/index.ts';
import { GatewaySyncReasons } from '../reasons/index.ts';
import { type PreparedSync, readAppliedState, type SyncResult } from '../sync/index.ts';
import type { ChangeSource } from './change-source.ts';
import type { GatewayTarget } from './gateway-target.ts';
import type { GatewaySyncOutcome } from './outcome.ts';
import { SYNC_ENGINE, type SyncEngine } from './sync-engine.ts';

/** One gateway, one commit, from a checkout of that commit. */
export interface GatewaySyncRequest {
  readonly target: GatewayTarget;
  /** Full commit SHA. */
  readonly commit: string;
  /** A checkout of `commit` (read only; may be shared by many gateways). */
  readonly checkoutDir: string;
  /** Diffs from the applied commit; `sharedChanges` lets the gateways of a round share them. */
  readonly changes: ChangeSource;
  /**
   * Whether a commit is older than another (`GitClient.isOlder` on the checkout). With it, a sync that moves
   * the gateway back to an older commit says so (a warning and `movedToOlderCommit`); without it, it cannot tell.
   */
  readonly isOlder?: ((candidate: string, than: string) => Promise<boolean>) | undefined;
  /** Compare every managed file by hash (reports drift), not only what the diff names. */
  readonly verify: boolean;
  /** Plan and report; write nothing, call no gateway. */
  readonly dryRun: boolean;
  /** The previous sync found the gateway commissioning (its outcome said `awaitingCommissioning`). */
  readonly afterCommissioning?: boolean | undefined;
  /** First boot before the gateway starts (the agent's init phase): write files, no gateway calls. */
  readonly initial?: boolean | undefined;
  readonly logger: Logger;
  /** Aborts waiting phases; a running apply finishes its file operations. */
  readonly signal: AbortSignal;
  /** Deadlines and poll interval of the cycle's waits (readiness, designer sessions, scans); defaults otherwise. */
  readonly timeouts?: CycleTimeouts | undefined;
  /** The sync engine; tests substitute a counting wrapper. */
  readonly engine?: SyncEngine | undefined;
}

export type CycleTimeouts = Pick<
  SyncCycleOptions<SyncResult>,
  'readinessTimeoutMs' | 'designerWaitTimeoutMs' | 'scanTimeoutMs' | 'pollIntervalMs'
>;

/** A missing data dir is a config mistake (a typo must not grow a new tree), not something to create. */
async function assertDataDir(dataDir: string): Promise<void> {
  const isDir = await stat(dataDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) {
    throw new OperatorError(
      GatewaySyncReasons.DataDirMissing,
      `gateway data directory ${dataDir} does not exist`,
      {
        kind: 'stalling',
      },
    );
  }
}

/** Changes since the applied commit, or undefined (full plan) when unknown or the diff cannot be made. */
async function changesSince(request: GatewaySyncRequest, applied: string | undefined, log: Logger) {
  if (applied === undefined) return undefined;
  try {
    return await request.changes(applied, request.commit);
  } catch (e: unknown) {
    // A force-pushed history can make the applied commit unreachable: plan from the full tree instead.
    log.warn(
      { err: toOperatorError(e, GatewaySyncReasons.SyncFailed), from: applied },
      'diff failed; planning a full sync',
    );
    return undefined;
  }
}

/** Whether the target commit is older than the applied one; false when that cannot be told. */
async function isOlderCommit(request: GatewaySyncRequest, applied: string, log: Logger): Promise<boolean> {
  if (request.isOlder === undefined || applied === request.commit) return false;
  try {
    return await request.isOlder(request.commit, applied);
  } catch (e: unknown) {
    log.debug({ err: toOperatorError(e, GatewaySyncReasons.SyncFailed) }, 'cannot compare commit ages');
    return false;
  }
}

function gatewayClientOf(request: GatewaySyncRequest): GatewayClient | undefined {
  const api = request.target.api;
  if (api === undefined || request.dryRun) return undefined;
  return new GatewayClient({ ...api, logger: request.logger });
}

/**
 * Syncs one gateway to one commit: applied state → diff → the sync cycle (readiness, designer-session
 * policy, plan once, the scan locks that plan needs, apply that plan, config then projects scan, await) →
 * outcome. Never throws: a failure is a Failed outcome with reason, kind and message; the gateway stays on
 * its last good state (the engine writes file by file with temp + rename and records a commit only once
 * the whole plan is written).
 */
export async function syncGateway(request: GatewaySyncRequest): Promise<GatewaySyncOutcome> {
  const started = Date.now();
  const { target, commit } = request;
  const engine = request.engine ?? SYNC_ENGINE;
  const log = request.logger.child({ gateway: target.name, commit });
  const gateway = gatewayClientOf(request);
  let previousCommit: string | null = null;
  let verified = false;
  let afterCommissioning = request.afterCommissioning === true;
  let movedToOlderCommit = false;
  const outcome = (
    status: GatewaySyncOutcome['status'],
    result: SyncResult | null,
    rest: Pick<GatewaySyncOutcome, 'scans' | 'error' | 'awaitingCommissioning'>,
  ): GatewaySyncOutcome => ({
    gateway: target.name,
    commit,
    status,
    previousCommit,
    result,
    dryRun: request.dryRun,
    verified,
    afterCommissioning,
    movedToOlderCommit,
    durationMs: Date.now() - started,
    ...rest,
  });
  try {
    await assertDataDir(target.dataDir);
    const applied = (await readAppliedState(target.dataDir))?.commit;
    previousCommit = applied ?? null;
    const changes = await changesSince(request, applied, log);
    movedToOlderCommit = applied !== undefined && (await isOlderCommit(request, applied, log));
    if (movedToOlderCommit) log.warn({ from: applied }, 'moving the gateway to an older commit than it has');
    const cycle = await runSyncCycle<SyncResult, PreparedSync>({
      gateway,
      initial: request.initial,
      afterCommissioning: request.afterCommissioning,
      designerSessionPolicy: target.designerSessionPolicy,
      plan: async (_signal, context) => {
        afterCommissioning = context.afterCommissioning;
        verified = request.verify || applied === undefined || context.afterCommissioning;
        return engine.prepare({
          sourceDir: request.checkoutDir,
          commit,
          ...(changes === undefined || applied === undefined ? {} : { changes, changesFrom: applied }),
          profile: target.profile,
          dataDir: target.dataDir,
          excludePatterns: target.excludePatterns,
          verify: verified,
          dryRun: request.dryRun,
          logger: log,
        });
      },
      apply: async (_signal, _context, prepared) => {
        if (prepared === undefined) throw new Error('the sync cycle applied without planning');
        return engine.apply(prepared);
      },
      signal: request.signal,
      logger: log,
      ...request.timeouts,
    });
    const scans = (['config', 'projects'] as const).filter((k) => cycle.scans[k] !== undefined);
    const r = cycle.applied;
    log.info(
      {
        added: r.added.length,
        modified: r.modified.length,
        deleted: r.deleted.length,
        drift: r.drift.length,
        scans,
      },
      'gateway synced',
    );
    return outcome('Synced', r, { scans, error: null, awaitingCommissioning: false });
  } catch (e: unknown) {
    const err = toOperatorError(e, GatewaySyncReasons.SyncFailed);
    log.error({ err, reason: err.reason }, 'gateway sync failed');
    return outcome('Failed', null, {
      scans: [],
      error: { reason: err.reason, kind: err.kind, message: err.message },
      awaitingCommissioning: err.reason === GatewayReasons.GatewayNotCommissioned,
    });
  } finally {
    // The client owns an HTTP agent with keep-alive sockets; one client per sync, closed with it.
    await gateway?.close();
  }
}
