import { resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import {
  AgentExitCode,
  AgentReasons,
  type ListenAddress,
  parseListenAddress,
  resolveAgentConfig,
  runAgent,
} from '../agent/index.ts';
import { AgentEnv } from '../api/index.ts';
import { toOperatorError } from '../errors.ts';
import { createLogger } from '../observability/index.ts';
import { CliReasons } from '../reasons/index.ts';
import { ExitCode } from './io.ts';
import { logLevelOption } from './log-level-option.ts';
import type { RegisterCommand } from './program.ts';

interface AgentCliFlags {
  readonly kubeconfig?: string;
  readonly gatewayUrl?: string;
  readonly dataDir?: string;
  readonly secretsDir?: string;
  readonly workDir?: string;
  readonly probeListen?: string;
  readonly logLevel?: string;
}

/**
 * `ignition-sync agent`: the sync-agent sidecar. Identity and settings come from the environment the
 * admission webhook injects (`AgentEnv`); flags win over it. In-cluster config without `--kubeconfig`.
 */
export const registerAgentCommand: RegisterCommand = (program, ctx) => {
  program
    .command('agent')
    .description('Run the sync agent of one gateway pod (the sidecar the admission webhook injects)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: the in-cluster service account)')
    .option('--gateway-url <url>', 'gateway API base URL (env IGNITION_SYNC_GATEWAY_URL)')
    .option('--data-dir <dir>', 'gateway data directory (env IGNITION_SYNC_DATA_DIR)')
    .option(
      '--secrets-dir <dir>',
      'mounted Secrets, <dir>/<secret-name>/<key> (env IGNITION_SYNC_SECRETS_DIR)',
    )
    .option('--work-dir <dir>', 'writable scratch for the checkout (env IGNITION_SYNC_WORK_DIR)')
    .option(
      '--probe-listen <addr>',
      'serve /healthz, /readyz and /metrics on HOST:PORT (env IGNITION_SYNC_PROBE_LISTEN)',
    )
    .addOption(logLevelOption('log level (default: info)'))
    .action(async (flags: AgentCliFlags) => {
      const io = ctx.io;
      const logger = createLogger({ level: flags.logLevel ?? 'info', destination: io.stderr });
      const invalid = (problems: readonly string[]): void => {
        for (const problem of problems) {
          logger.error(
            { reason: AgentReasons.AgentConfigInvalid },
            `invalid agent configuration: ${problem}`,
          );
        }
        io.stderr.write(`agent: invalid configuration:\n${problems.map((p) => `  ${p}\n`).join('')}`);
        ctx.setExitCode(ExitCode.invalidInput);
      };
      const configured = resolveAgentConfig(io.env, flags);
      let probeListen: ListenAddress | undefined;
      const problems: string[] = configured.ok ? [] : [...configured.problems];
      try {
        const listen = flags.probeListen ?? io.env[AgentEnv.probeListen];
        probeListen = listen === undefined ? undefined : parseListenAddress(listen);
      } catch (e: unknown) {
        problems.push(e instanceof Error ? e.message : String(e));
      }
      const kubeConfig = new KubeConfig();
      try {
        if (flags.kubeconfig === undefined) kubeConfig.loadFromCluster();
        else kubeConfig.loadFromFile(resolve(io.cwd, flags.kubeconfig));
        if (kubeConfig.getCurrentCluster() === null) problems.push('the kubeconfig names no current cluster');
      } catch (e: unknown) {
        problems.push(`kubeconfig: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (!configured.ok || problems.length > 0) {
        invalid(problems);
        return;
      }
      const { identity, settings } = configured.config;
      try {
        const code = await runAgent({
          identity,
          settings: {
            ...settings,
            dataDir: resolve(io.cwd, settings.dataDir),
            secretsDir: resolve(io.cwd, settings.secretsDir),
            workDir: resolve(io.cwd, settings.workDir),
          },
          kubeConfig,
          logger,
          signal: io.signal,
          pathEnv: io.env.PATH,
          probeListen,
        });
        ctx.setExitCode(code === AgentExitCode.ok ? ExitCode.ok : ExitCode.failed);
      } catch (e: unknown) {
        const err = toOperatorError(e, CliReasons.AgentFailed);
        logger.error({ err, reason: err.reason }, 'agent failed');
        io.stderr.write(`agent failed: ${err.message}\n`);
        ctx.setExitCode(ExitCode.failed);
      }
    });
};
