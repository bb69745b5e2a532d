import { Option } from 'commander';
import { toOperatorError } from '../errors.ts';
import { createLogger } from '../observability/index.ts';
import { CliReasons } from '../reasons/index.ts';
import { type OutputFormat, runStandalone } from '../standalone/index.ts';
import { ExitCode } from './io.ts';
import { logLevelOption } from './log-level-option.ts';
import type { RegisterCommand } from './program.ts';

interface RunFlags {
  readonly file: string[];
  readonly secretsDir?: string;
  readonly stateDir?: string;
  readonly once?: boolean;
  readonly dryRun?: boolean;
  readonly output: OutputFormat;
  readonly listen?: string;
  readonly logLevel?: string;
}

/** `ignition-sync run`: standalone mode (ARCHITECTURE section 9). */
export const registerRunCommand: RegisterCommand = (program, ctx) => {
  program
    .command('run')
    .description('Sync gateways from IgnitionSync + SyncProfile + Gateway YAML, without Kubernetes')
    .requiredOption(
      '-f, --file <path>',
      'YAML file or directory (repeatable)',
      (v: string, acc: string[] = []) => [...acc, v],
    )
    .option('--secrets-dir <dir>', 'secrets laid out like mounted Secrets: <dir>/<secret-name>/<key>')
    .option(
      '--state-dir <dir>',
      'shared checkouts and webhook-requested refs (default: .ignition-sync-state beside the config)',
    )
    .option('--once', 'sync every gateway once and exit: 0 all synced, 1 any failed, 2 invalid config')
    .option('--dry-run', 'plan and report, write nothing, call no gateway')
    .addOption(new Option('--output <format>', 'result format').choices(['text', 'json']).default('text'))
    .option('--listen <addr>', 'serve the webhook receiver on HOST:PORT (POST /webhook/{namespace}/{name})')
    .addOption(logLevelOption('log level (default: info; error while a live table is shown)'))
    .action(async (flags: RunFlags) => {
      const io = ctx.io;
      const isLiveTable = flags.once !== true && io.stdout.isTTY === true && flags.output === 'text';
      const logger = createLogger({
        level: flags.logLevel ?? (isLiveTable ? 'error' : 'info'),
        destination: io.stderr,
      });
      try {
        const code = await runStandalone({
          paths: flags.file,
          cwd: io.cwd,
          secretsDir: flags.secretsDir,
          stateDir: flags.stateDir,
          once: flags.once === true,
          dryRun: flags.dryRun === true,
          output: flags.output,
          listen: flags.listen,
          stdout: io.stdout,
          logger,
          signal: io.signal,
          pathEnv: io.env.PATH,
        });
        ctx.setExitCode(code);
      } catch (e: unknown) {
        const err = toOperatorError(e, CliReasons.RunFailed);
        logger.error({ err, reason: err.reason }, 'run failed');
        io.stderr.write(`run failed: ${err.message}\n`);
        ctx.setExitCode(ExitCode.failed);
      }
    });
};
