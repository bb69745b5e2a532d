import { stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { toOperatorError } from '../errors.ts';
import { GitClient } from '../git/index.ts';
import type { Logger } from '../observability/index.ts';
import { StandaloneReasons } from '../reasons/index.ts';
import { type GatewayReport, toOnceJson } from './gateway-report.ts';
import { parseListenAddress } from './listen-address.ts';
import { loadRunConfig } from './load-run-config.ts';
import { renderReportedPaths } from './reported-paths.ts';
import type { StandaloneConfig } from './standalone-config.ts';
import { StandaloneRunner } from './standalone-runner.ts';
import { renderStatusTable, TtyStatusPainter } from './status-table.ts';
import type { GatewayProgress } from './sync-worker.ts';

export type OutputFormat = 'text' | 'json';

export interface RunStandaloneOptions {
  /** `-f` files or directories. */
  readonly paths: readonly string[];
  readonly cwd: string;
  readonly secretsDir?: string | undefined;
  /** Default: `.ignition-sync-state` beside the first config path. */
  readonly stateDir?: string | undefined;
  readonly once: boolean;
  readonly dryRun: boolean;
  readonly output: OutputFormat;
  readonly listen?: string | undefined;
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** PATH for git and ssh. */
  readonly pathEnv?: string | undefined;
  /** Called once the webhook receiver is bound (the demo prints its curl command from it). */
  readonly onListening?: ((address: AddressInfo, config: StandaloneConfig) => void) | undefined;
  readonly onProgress?: ((progress: GatewayProgress) => void) | undefined;
  readonly shutdownGraceMs?: number | undefined;
}

/** Exit codes of `run` (STYLE 5.4). */
export const RunExitCode = { ok: 0, failed: 1, invalidConfig: 2 } as const;

async function defaultStateDir(paths: readonly string[], cwd: string): Promise<string> {
  const first = resolve(cwd, paths[0] ?? '.');
  const isDir = await stat(first).then(
    (s) => s.isDirectory(),
    () => false,
  );
  return join(isDir ? first : dirname(first), '.ignition-sync-state');
}

function printOnce(options: RunStandaloneOptions, reports: readonly GatewayReport[]): void {
  if (options.output === 'json') {
    options.stdout.write(`${JSON.stringify(toOnceJson(reports))}\n`);
    return;
  }
  const rows = reports.map((r) => ({
    gateway: r.name,
    sync: r.sync,
    state: r.status,
    ref: r.ref,
    pinned: r.pinned,
    report: r,
  }));
  options.stdout.write(`${renderStatusTable(rows)}\n`);
  for (const r of reports) {
    if (r.paths !== undefined) options.stdout.write(`\n${renderReportedPaths(r.name, r.paths)}\n`);
  }
}

/**
 * The whole of `ignition-sync run` below argument parsing: load and validate the config (exit 2 with all
 * problems), then either sync every gateway once (exit 0 when all Synced, 1 otherwise) or run until
 * `signal` aborts (polling, webhook receiver, live table on a TTY, structured logs otherwise).
 */
export async function runStandalone(options: RunStandaloneOptions): Promise<number> {
  const log = options.logger;
  const loaded = await loadRunConfig(options.paths, options.cwd);
  if (!loaded.ok) {
    for (const problem of loaded.problems)
      log.error({ reason: StandaloneReasons.ConfigInvalid }, `invalid config: ${problem}`);
    if (options.output === 'json')
      options.stdout.write(`${JSON.stringify({ gateways: [], errors: loaded.problems })}\n`);
    return RunExitCode.invalidConfig;
  }
  let listen: ReturnType<typeof parseListenAddress> | undefined;
  try {
    listen = options.listen === undefined ? undefined : parseListenAddress(options.listen);
  } catch (e: unknown) {
    log.error(
      { reason: StandaloneReasons.ConfigInvalid },
      toOperatorError(e, StandaloneReasons.ConfigInvalid).message,
    );
    return RunExitCode.invalidConfig;
  }
  const stateDir =
    options.stateDir === undefined
      ? await defaultStateDir(options.paths, options.cwd)
      : resolve(options.cwd, options.stateDir);
  const git = new GitClient({
    logger: log,
    ...(options.pathEnv === undefined ? {} : { pathEnv: options.pathEnv }),
  });
  const isLiveTable = !options.once && options.stdout.isTTY === true && options.output === 'text';
  const painter = isLiveTable ? new TtyStatusPainter(options.stdout) : undefined;
  const runner = new StandaloneRunner({
    config: loaded.config,
    git,
    secretsDir: options.secretsDir === undefined ? undefined : resolve(options.cwd, options.secretsDir),
    stateDir,
    dryRun: options.dryRun,
    logger: log,
    onProgress: (p) => {
      painter?.update(p);
      options.onProgress?.(p);
    },
    ...(options.shutdownGraceMs === undefined ? {} : { shutdownGraceMs: options.shutdownGraceMs }),
  });
  try {
    if (options.once) {
      if (listen !== undefined) log.warn('--listen is ignored with --once');
      const reports = await runner.runOnce();
      printOnce(options, reports);
      return reports.every((r) => r.status === 'Synced') ? RunExitCode.ok : RunExitCode.failed;
    }
    if (listen !== undefined) {
      const address = await runner.listen(listen);
      options.onListening?.(address, loaded.config);
    }
    await runner.run(options.signal);
    return RunExitCode.ok;
  } finally {
    painter?.close();
    await git.close();
  }
}
