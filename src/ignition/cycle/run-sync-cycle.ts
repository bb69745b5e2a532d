import { OperatorError, toOperatorError } from '../../errors.ts';
import type { Logger } from '../../observability/index.ts';
import { GatewayReasons } from '../../reasons/index.ts';
import type { GatewayClient } from '../client/gateway-client.ts';
import { waitUntilReady } from '../client/wait-until-ready.ts';
import { type DesignerSession, SCAN_KINDS, type ScanKind } from '../gateway-types.ts';
import { type AwaitScanOptions, type ScanOutcome, scanAndAwait, waitForIdleScan } from './await-scan.ts';
import { type DesignerSessionPolicy, enforceDesignerPolicy } from './designer-policy.ts';
import { acquireScanLocks, type LockMode, releaseByScan } from './scan-locks.ts';

/** What a plan or an apply reports: which halves of the data directory it (would) change. */
export interface ChangeSummary {
  readonly projectsChanged: boolean;
  readonly configChanged: boolean;
}

export interface ApplyContext {
  /**
   * The gateway was seen finishing first-boot commissioning in this cycle. Commissioning rewrites some
   * resources, so the engine should run a full verification pass (not only the git diff).
   */
  readonly afterCommissioning: boolean;
}

export interface SyncCycleOptions<A extends ChangeSummary, P extends ChangeSummary = ChangeSummary> {
  /** The gateway to drive; `undefined` writes files only (standalone without `url`). */
  readonly gateway: GatewayClient | undefined;
  /** Initial sync: the gateway has not started yet (startup-probe gated); write, no gateway calls. */
  readonly initial?: boolean | undefined;
  /**
   * Post-commissioning re-sync hook: the caller saw the gateway commissioning in an earlier cycle (a
   * GatewayNotCommissioned error) and it may have finished in between. Plan and apply then get
   * `afterCommissioning: true`, as when this cycle itself sees COMMISSIONING → RUNNING.
   */
  readonly afterCommissioning?: boolean | undefined;
  readonly designerSessionPolicy: DesignerSessionPolicy;
  /**
   * Plans the write once, after the gateway is ready and the designer policy passed, and reports what it
   * will change: locks are taken only for the kinds that will change, and a no-change sync makes no lock and
   * no scan calls. Its result is handed to `apply`. Without it, both kinds are locked.
   */
  readonly plan?: ((signal: AbortSignal, context: ApplyContext) => Promise<P>) | undefined;
  /** Writes the files (the engine), given the plan's result. Called once, after the locks are held. */
  readonly apply: (signal: AbortSignal, context: ApplyContext, planned: P | undefined) => Promise<A>;
  readonly signal?: AbortSignal | undefined;
  readonly logger?: Logger | undefined;
  readonly readinessTimeoutMs?: number | undefined;
  readonly designerWaitTimeoutMs?: number | undefined;
  readonly scanTimeoutMs?: number | undefined;
  /** Poll interval for readiness, designer sessions and scan status (defaults 1 s / 5 s / 250 ms). */
  readonly pollIntervalMs?: number | undefined;
  readonly lockAcquireTimeoutS?: number | undefined;
  readonly lockHoldTimeoutS?: number | undefined;
}

export interface CycleResult<A extends ChangeSummary> {
  readonly applied: A;
  /** `live`: gateway driven; `initial`: write-only first boot; `files-only`: no gateway configured. */
  readonly mode: 'live' | 'initial' | 'files-only';
  /** `skipped`: no lock was needed (initial, files-only, or nothing to change). */
  readonly lockMode: LockMode;
  readonly locked: readonly ScanKind[];
  readonly scans: { readonly config?: ScanOutcome; readonly projects?: ScanOutcome };
  /** Locked kinds that did not change: their lock was released with a scan POST (not awaited). */
  readonly released: readonly ScanKind[];
  readonly designerSessions: readonly DesignerSession[];
  /** This cycle was the post-commissioning re-sync (seen now, or flagged by the caller). */
  readonly observedCommissioning: boolean;
  readonly durationMs: number;
}

const NEVER = new AbortController().signal;

/**
 * The agent's core loop, shared by standalone and Kubernetes: wait for the gateway → designer policy →
 * scan locks → apply → scan config, then projects (only what changed) → await the scan that began after
 * the write → result. A failed apply leaves the locks held on purpose: they expire after the hold timeout
 * (or the retry adopts them), so the gateway never scans a half-applied write.
 */
export async function runSyncCycle<A extends ChangeSummary, P extends ChangeSummary = ChangeSummary>(
  options: SyncCycleOptions<A, P>,
): Promise<CycleResult<A>> {
  const started = Date.now();
  const signal = options.signal ?? NEVER;
  const log = options.logger;
  const gateway = options.gateway;
  if (gateway === undefined || options.initial === true) {
    const context = { afterCommissioning: options.afterCommissioning === true };
    const applied = await runApply(options, signal, context, await runPlan(options, signal, context));
    return {
      applied,
      mode: gateway === undefined ? 'files-only' : 'initial',
      lockMode: 'skipped',
      locked: [],
      scans: {},
      released: [],
      designerSessions: [],
      observedCommissioning: false,
      durationMs: Date.now() - started,
    };
  }
  const ready = await waitUntilReady(gateway, {
    timeoutMs: options.readinessTimeoutMs,
    pollIntervalMs: options.pollIntervalMs,
    signal,
    logger: log,
  });
  const designers = await enforceDesignerPolicy(gateway, {
    policy: options.designerSessionPolicy,
    waitTimeoutMs: options.designerWaitTimeoutMs,
    pollIntervalMs: options.pollIntervalMs,
    signal,
    logger: log,
  });
  const context = { afterCommissioning: ready.observedCommissioning || options.afterCommissioning === true };
  const planned = await runPlan(options, signal, context);
  const toLock = planned === undefined ? [...SCAN_KINDS] : changedKinds(planned);
  const lockOptions = {
    acquireTimeoutS: options.lockAcquireTimeoutS,
    holdTimeoutS: options.lockHoldTimeoutS,
    signal,
    logger: log,
  };
  const locks =
    toLock.length === 0
      ? { mode: 'skipped' as const, held: [], adopted: [] }
      : await acquireScanLocks(gateway, toLock, lockOptions);
  const scanOptions: AwaitScanOptions = {
    timeoutMs: options.scanTimeoutMs,
    pollIntervalMs: options.pollIntervalMs === undefined ? undefined : Math.min(options.pollIntervalMs, 250),
    signal,
  };
  if (locks.mode === 'unsupported') {
    for (const kind of toLock) await waitForIdleScan(gateway, kind, scanOptions);
  }
  const applied = await runApply(options, signal, context, planned).catch((e: unknown) => {
    if (locks.held.length > 0) {
      log?.warn({ locked: locks.held }, 'apply failed; scan locks left held until they expire');
    }
    throw e;
  });
  const changed = changedKinds(applied);
  if (locks.mode === 'skipped' && changed.length > 0) {
    log?.warn({ changed }, 'apply changed files its plan did not report; scanning without lock');
  }
  const released = locks.held.filter((k) => !changed.includes(k));
  const scans: { config?: ScanOutcome; projects?: ScanOutcome } = {};
  try {
    for (const kind of SCAN_KINDS) {
      if (released.includes(kind)) await releaseByScan(gateway, [kind], lockOptions);
      if (changed.includes(kind)) scans[kind] = await scanAndAwait(gateway, kind, scanOptions);
    }
  } catch (e: unknown) {
    const err = toOperatorError(e, GatewayReasons.ScanTimeout);
    throw new OperatorError(err.reason, err.message, {
      kind: err.kind,
      cause: err,
      details: { ...err.details, phase: 'scan', applied, scans },
    });
  }
  log?.info(
    { lockMode: locks.mode, changed, durationMs: Date.now() - started },
    changed.length === 0 ? 'sync cycle: nothing changed' : 'sync cycle: applied and scanned',
  );
  return {
    applied,
    mode: 'live',
    lockMode: locks.mode,
    locked: locks.held,
    scans,
    released,
    designerSessions: designers.sessions,
    observedCommissioning: context.afterCommissioning,
    durationMs: Date.now() - started,
  };
}

async function runPlan<A extends ChangeSummary, P extends ChangeSummary>(
  options: SyncCycleOptions<A, P>,
  signal: AbortSignal,
  context: ApplyContext,
): Promise<P | undefined> {
  if (options.plan === undefined) return undefined;
  try {
    return await options.plan(signal, context);
  } catch (e: unknown) {
    if (e instanceof OperatorError) throw e;
    throw toOperatorError(e, GatewayReasons.ApplyFailed);
  }
}

async function runApply<A extends ChangeSummary, P extends ChangeSummary>(
  options: SyncCycleOptions<A, P>,
  signal: AbortSignal,
  context: ApplyContext,
  planned: P | undefined,
): Promise<A> {
  try {
    return await options.apply(signal, context, planned);
  } catch (e: unknown) {
    if (e instanceof OperatorError) throw e;
    throw toOperatorError(e, GatewayReasons.ApplyFailed);
  }
}

function changedKinds(summary: ChangeSummary): ScanKind[] {
  return SCAN_KINDS.filter((k) => (k === 'config' ? summary.configChanged : summary.projectsChanged));
}
