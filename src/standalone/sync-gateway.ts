import { stat } from 'node:fs/promises';
import { OperatorError, toOperatorError } from '../errors.ts';
import type { Change, GitAuth, GitClient } from '../git/index.ts';
import { GatewayClient, runSyncCycle } from '../ignition/index.ts';
import type { Logger } from '../observability/index.ts';
import { StandaloneReasons } from '../reasons/index.ts';
import { readAppliedState, type SyncResult, syncDataDir } from '../sync/index.ts';
import { failedReport, type GatewayReport } from './gateway-report.ts';
import type { SecretsDir } from './secrets-dir.ts';
import type { GatewayRouting, StandaloneGateway } from './standalone-config.ts';

/** What one gateway sync needs from its round: the shared checkout of the resolved commit. */
export interface GatewaySyncInput {
  readonly gateway: StandaloneGateway;
  readonly repo: string;
  readonly auth: GitAuth;
  readonly ref: string;
  readonly commit: string;
  /** Checkout of `commit` shared by the IgnitionSync's gateways (read-only for them). */
  readonly checkoutDir: string;
  /** IgnitionSync excludePatterns. */
  readonly excludePatterns: readonly string[];
  /** Compare every managed file's hash, not only the git diff (first sync of a process, periodic drift). */
  readonly verify: boolean;
  readonly dryRun: boolean;
  readonly git: GitClient;
  /**
   * Diffs already asked for in this round, by `from..to`: gateways at the same applied commit share one
   * `git diff` on the shared checkout instead of queueing one each behind its directory lock.
   */
  readonly diffCache?: Map<string, Promise<readonly Change[]>>;
  readonly secrets: SecretsDir;
  readonly logger: Logger;
  /** Aborts waiting phases; a running apply finishes its file operations (see runner shutdown). */
  readonly signal: AbortSignal;
}

function profileOf(routing: GatewayRouting) {
  if (routing.kind === 'servicePath') return { servicePath: routing.servicePath };
  return {
    mappings: routing.mappings,
    ...(routing.deploymentMode === undefined ? {} : { deploymentMode: routing.deploymentMode }),
    excludePatterns: routing.excludePatterns,
  };
}

/** Changes from the applied commit, or undefined (full plan) when unknown or the diff cannot be made. */
async function changesSince(input: GatewaySyncInput, applied: string | undefined, log: Logger) {
  if (applied === undefined) return undefined;
  const key = `${applied}..${input.commit}`;
  let diff = input.diffCache?.get(key);
  if (diff === undefined) {
    diff = input.git.diff({
      dir: input.checkoutDir,
      from: applied,
      to: input.commit,
      repo: input.repo,
      auth: input.auth,
      signal: input.signal,
    });
    input.diffCache?.set(key, diff);
  }
  try {
    return await diff;
  } catch (e: unknown) {
    // A force-pushed history can make the applied commit unreachable: plan from the full tree instead.
    log.warn(
      { err: toOperatorError(e, StandaloneReasons.SyncFailed), from: applied },
      'diff failed; planning a full sync',
    );
    return undefined;
  }
}

function gatewayClientOf(input: GatewaySyncInput): GatewayClient | undefined {
  const g = input.gateway;
  if (g.url === undefined || input.dryRun) return undefined;
  return new GatewayClient({
    url: g.url,
    ...(g.apiKeySecretRef === undefined ? {} : { tokenFile: input.secrets.pathOf(g.apiKeySecretRef) }),
    ...(g.caFile === undefined ? {} : { caFile: g.caFile }),
    insecureSkipVerify: g.insecureSkipVerify,
    logger: input.logger,
  });
}

function report(
  input: GatewaySyncInput,
  started: number,
  result: SyncResult | undefined,
  scans: string[],
): GatewayReport {
  return {
    ...failedReport(input.gateway, input.ref, null, null),
    commit: input.commit,
    status: 'Synced',
    added: result?.added.length ?? 0,
    modified: result?.modified.length ?? 0,
    deleted: result?.deleted.length ?? 0,
    drift: result?.drift.length ?? 0,
    scans,
    dryRun: input.dryRun,
    durationMs: Date.now() - started,
  };
}

/** A missing data dir is a config mistake (a typo must not grow a new tree), not something to create. */
async function assertDataDir(dataDir: string): Promise<void> {
  const isDir = await stat(dataDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) {
    throw new OperatorError(
      StandaloneReasons.DataDirMissing,
      `gateway data directory ${dataDir} does not exist`,
      {
        kind: 'stalling',
      },
    );
  }
}

/**
 * One gateway: applied state → git diff → sync cycle (scan locks, engine write, scans) → report. Never
 * throws: a failure is a Failed report with the reason and a message (the gateway stays on its last good
 * state; the engine writes file by file with temp + rename and only records a commit once complete).
 */
export async function syncGateway(input: GatewaySyncInput): Promise<GatewayReport> {
  const started = Date.now();
  const log = input.logger.child({ gateway: input.gateway.name, commit: input.commit, ref: input.ref });
  const gateway = gatewayClientOf(input);
  try {
    await assertDataDir(input.gateway.dataDir);
    const applied = (await readAppliedState(input.gateway.dataDir))?.commit;
    const changes = await changesSince(input, applied, log);
    const engineInput = {
      sourceDir: input.checkoutDir,
      commit: input.commit,
      ...(changes === undefined || applied === undefined ? {} : { changes, changesFrom: applied }),
      profile: profileOf(input.gateway.routing),
      dataDir: input.gateway.dataDir,
      excludePatterns: input.excludePatterns,
      verify: input.verify || applied === undefined,
      logger: log,
    };
    const cycle = await runSyncCycle({
      gateway,
      designerSessionPolicy: input.gateway.designerSessionPolicy,
      plan: async () => syncDataDir({ ...engineInput, dryRun: true }),
      apply: async () => syncDataDir({ ...engineInput, dryRun: input.dryRun }),
      signal: input.signal,
      logger: log,
    });
    const scans = Object.keys(cycle.scans);
    log.info(
      {
        added: cycle.applied.added.length,
        modified: cycle.applied.modified.length,
        deleted: cycle.applied.deleted.length,
        scans,
      },
      'gateway synced',
    );
    return report(input, started, cycle.applied, scans);
  } catch (e: unknown) {
    const err = toOperatorError(e, StandaloneReasons.SyncFailed);
    log.error({ err, reason: err.reason }, 'gateway sync failed');
    return {
      ...report(input, started, undefined, []),
      status: 'Failed',
      reason: err.reason,
      error: err.message,
    };
  } finally {
    // The client owns an HTTP agent with keep-alive sockets; one client per sync, closed with it.
    await gateway?.close();
  }
}
