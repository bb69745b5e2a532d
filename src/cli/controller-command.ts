import { KubeConfig } from '@kubernetes/client-node';
import { parseDurationMs } from '../api/index.ts';
import { defaultIdentity, type ListenAddress, runController } from '../controller/index.ts';
import { OperatorError, toOperatorError } from '../errors.ts';
import { createLogger } from '../observability/index.ts';
import { CliReasons, ControllerReasons } from '../reasons/index.ts';
import { parseListenAddress } from '../standalone/index.ts';
import { ExitCode } from './io.ts';
import { logLevelOption } from './log-level-option.ts';
import type { RegisterCommand } from './program.ts';

interface ControllerFlags {
  readonly kubeconfig?: string;
  readonly namespace?: string;
  readonly listen?: string;
  readonly probeListen?: string;
  readonly admissionListen: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly agentImage?: string;
  readonly leaderElect: boolean;
  readonly leaseNamespace: string;
  readonly leaderElectionId: string;
  readonly identity?: string;
  readonly leaseDuration: string;
  readonly renewDeadline: string;
  readonly retryPeriod: string;
  readonly logLevel?: string;
}

/** The Lease timings (Go durations, as client-go takes them), checked: renew deadline < lease duration. */
function leaseTimings(flags: ControllerFlags): {
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
} {
  const leaseDurationMs = durationFlag('--lease-duration', flags.leaseDuration);
  const renewDeadlineMs = durationFlag('--renew-deadline', flags.renewDeadline);
  const retryPeriodMs = durationFlag('--retry-period', flags.retryPeriod);
  if (!(retryPeriodMs < renewDeadlineMs && renewDeadlineMs < leaseDurationMs)) {
    throw new OperatorError(
      ControllerReasons.ControllerConfigInvalid,
      'leader election needs --retry-period < --renew-deadline < --lease-duration',
      { kind: 'stalling' },
    );
  }
  return { leaseDurationMs, renewDeadlineMs, retryPeriodMs };
}

function durationFlag(name: string, text: string): number {
  const ms = parseDurationMs(text);
  if (ms === undefined || ms <= 0) {
    throw new OperatorError(
      ControllerReasons.ControllerConfigInvalid,
      `${name}: ${JSON.stringify(text)} is not a duration like 15s`,
      {
        kind: 'stalling',
      },
    );
  }
  return ms;
}

/** `ignition-sync controller`: the Kubernetes controller process (src/controller). */
export const registerControllerCommand: RegisterCommand = (program, ctx) => {
  program
    .command('controller')
    .description('Run the IgnitionSync controller, webhook receiver and admission webhook (Kubernetes)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: the in-cluster service account)')
    .option('--namespace <ns>', 'watch only this namespace (default: every namespace)')
    .option('--listen <addr>', 'webhook receiver HOST:PORT (default 127.0.0.1:8443; 0.0.0.0:8443 in a pod)')
    .option(
      '--probe-listen <addr>',
      '/healthz, /readyz, /metrics HOST:PORT (default 127.0.0.1:8081; 0.0.0.0:8081 in a pod)',
    )
    .option(
      '--admission-listen <addr>',
      'admission webhook HOST:PORT (HTTPS; needs --cert-file)',
      '0.0.0.0:9443',
    )
    .option(
      '--cert-file <file>',
      'TLS certificate (PEM) of the admission webhook; without it no admission server',
    )
    .option('--key-file <file>', 'TLS private key (PEM) of the admission webhook')
    .option(
      '--agent-image <ref>',
      'agent image injected when an IgnitionSync names none (default: the built-in one)',
    )
    .option('--no-leader-elect', 'reconcile without a Lease (one replica only)')
    .option('--lease-namespace <ns>', 'namespace of the leader-election Lease', 'ignition-sync-system')
    .option('--leader-election-id <name>', 'name of the leader-election Lease', 'ignition-sync-controller')
    .option(
      '--lease-duration <duration>',
      'how long a standby waits on an unrenewed Lease before taking over',
      '15s',
    )
    .option(
      '--renew-deadline <duration>',
      'how long the leader keeps trying to renew before stepping down',
      '10s',
    )
    .option('--retry-period <duration>', 'how often candidates retry and the leader renews', '2s')
    .option('--identity <id>', 'leader-election identity (default: <hostname>_<pid>)')
    .addOption(logLevelOption('log level (default: info)'))
    .action(async (flags: ControllerFlags) => {
      const io = ctx.io;
      const logger = createLogger({ level: flags.logLevel ?? 'info', destination: io.stderr });
      const inPod = io.env.KUBERNETES_SERVICE_HOST !== undefined && io.env.KUBERNETES_SERVICE_HOST !== '';
      const invalid = (message: string): void => {
        logger.error({ reason: ControllerReasons.ControllerConfigInvalid }, message);
        io.stderr.write(`controller: ${message}\n`);
        ctx.setExitCode(ExitCode.invalidInput);
      };
      let listen: ListenAddress;
      let probeListen: ListenAddress;
      let admissionListen: ListenAddress;
      try {
        listen = parseListenAddress(flags.listen ?? (inPod ? '0.0.0.0:8443' : '127.0.0.1:8443'));
        probeListen = parseListenAddress(flags.probeListen ?? (inPod ? '0.0.0.0:8081' : '127.0.0.1:8081'));
        admissionListen = parseListenAddress(flags.admissionListen);
      } catch (e: unknown) {
        invalid(toOperatorError(e, ControllerReasons.ControllerConfigInvalid).message);
        return;
      }
      if ((flags.certFile === undefined) !== (flags.keyFile === undefined)) {
        invalid('--cert-file and --key-file go together');
        return;
      }
      let timings: ReturnType<typeof leaseTimings> | undefined;
      try {
        timings = flags.leaderElect ? leaseTimings(flags) : undefined;
      } catch (e: unknown) {
        invalid(toOperatorError(e, ControllerReasons.ControllerConfigInvalid).message);
        return;
      }
      const kubeConfig = new KubeConfig();
      try {
        if (flags.kubeconfig !== undefined) kubeConfig.loadFromFile(flags.kubeconfig);
        else if (inPod) kubeConfig.loadFromCluster();
        else {
          invalid('no --kubeconfig given and not running in a pod (KUBERNETES_SERVICE_HOST is unset)');
          return;
        }
      } catch (e: unknown) {
        invalid(`reading the kubeconfig failed: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      try {
        await runController({
          kubeConfig,
          logger,
          signal: io.signal,
          namespace: flags.namespace,
          listen,
          probeListen,
          admission:
            flags.certFile === undefined || flags.keyFile === undefined
              ? undefined
              : { listen: admissionListen, certFile: flags.certFile, keyFile: flags.keyFile },
          leaderElection: flags.leaderElect
            ? {
                namespace: flags.leaseNamespace,
                name: flags.leaderElectionId,
                identity: flags.identity ?? defaultIdentity(),
                ...timings,
              }
            : undefined,
          pathEnv: io.env.PATH,
          tmpDir: io.env.TMPDIR,
          defaultAgentImage: flags.agentImage,
        });
        ctx.setExitCode(ExitCode.ok);
      } catch (e: unknown) {
        const err = toOperatorError(e, CliReasons.ControllerFailed);
        logger.error({ err, reason: err.reason }, 'controller failed');
        io.stderr.write(`controller failed: ${err.message}\n`);
        ctx.setExitCode(ExitCode.failed);
      }
    });
};
