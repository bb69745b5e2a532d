import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option } from 'commander';
import { toOperatorError } from '../errors.ts';
import { parseTokenSpec, startGatewaySimulator } from '../ignition/simulator/index.ts';
import { createLogger } from '../observability/index.ts';
import { CliReasons } from '../reasons/index.ts';
import { ExitCode } from './io.ts';
import { logLevelOption } from './log-level-option.ts';
import type { RegisterCommand } from './program.ts';

interface GatewaySimFlags {
  readonly dataDir: string;
  readonly host: string;
  readonly port: string;
  readonly controlPort: string;
  readonly token: string[];
  readonly tokenFile: string[];
  readonly tls?: boolean;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly caOut?: string;
  readonly scanDurationMs: string;
  readonly projectScanFrequencyS: string;
  readonly name: string;
  readonly ignitionVersion: string;
  readonly deploymentMode: string;
  readonly scanLock: boolean;
  readonly lifecycle: 'running' | 'commissioning';
  readonly seed: boolean;
  readonly logLevel: string;
}

const collect = (v: string, acc: string[] = []): string[] => [...acc, v];

/** `ignition-sync gateway-sim`: an Ignition 8.3 gateway simulator over a real data dir (tests, demos). */
export const registerGatewaySimCommand: RegisterCommand = (program, ctx) => {
  program
    .command('gateway-sim')
    .description(
      'Run an Ignition 8.3 gateway HTTP simulator over a data directory (control routes on a second port)',
    )
    .requiredOption('--data-dir <dir>', 'gateway data directory (seeded with gateway-owned files when empty)')
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--port <port>', 'gateway port (0 = any free port)', '8088')
    .option('--control-port <port>', 'control port for tests (0 = any free port)', '8089')
    .option('--token <name:secret[:read|write]>', 'API token the gateway accepts (repeatable)', collect)
    .option(
      '--token-file <file>',
      'file holding name:secret[:read|write] (repeatable; keeps secrets off argv)',
      collect,
    )
    .option('--tls', 'serve https with a generated test CA (written to --ca-out)')
    .option('--tls-cert <file>', 'PEM certificate for https (with --tls-key)')
    .option('--tls-key <file>', 'PEM private key for https')
    .option('--ca-out <file>', 'where to write the generated CA certificate (with --tls)')
    .option('--scan-duration-ms <ms>', 'how long a scan takes', '500')
    .option('--project-scan-frequency-s <s>', 'periodic project scan interval (0 = off)', '0')
    .option('--name <name>', 'gateway name (gateway-info, gwinfo)', 'ignition-sim')
    .option('--ignition-version <v>', 'ignitionVersion reported by gateway-info', '8.3.6 (b2026042713)')
    .option('--deployment-mode <mode>', 'active deployment mode reported by gateway-info', '')
    .option('--no-scan-lock', 'model a gateway without the scan-lock route (404)')
    .addOption(
      new Option('--lifecycle <state>', 'initial state')
        .choices(['running', 'commissioning'])
        .default('running'),
    )
    .option('--no-seed', 'do not seed an empty data dir')
    .addOption(logLevelOption('log level').default('info'))
    .action(async (flags: GatewaySimFlags) => {
      const io = ctx.io;
      const logger = createLogger({ level: flags.logLevel, destination: io.stderr });
      let tokens: string[];
      let numbers: { port: number; controlPort: number; scanDurationMs: number; frequency: number };
      try {
        const fromFiles = await Promise.all(
          (flags.tokenFile ?? []).map((f) => readFile(resolve(io.cwd, f), 'utf8')),
        );
        tokens = [...(flags.token ?? []), ...fromFiles.map((t) => t.trim())];
        for (const t of tokens) parseTokenSpec(t);
        numbers = {
          port: nonNegative(flags.port, '--port'),
          controlPort: nonNegative(flags.controlPort, '--control-port'),
          scanDurationMs: nonNegative(flags.scanDurationMs, '--scan-duration-ms'),
          frequency: nonNegative(flags.projectScanFrequencyS, '--project-scan-frequency-s'),
        };
        if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) {
          throw new TypeError('--tls-cert and --tls-key go together');
        }
      } catch (e: unknown) {
        io.stderr.write(`invalid flag: ${e instanceof Error ? e.message : String(e)}\n`);
        ctx.setExitCode(ExitCode.invalidInput);
        return;
      }
      try {
        const tls =
          flags.tlsCert !== undefined && flags.tlsKey !== undefined
            ? {
                certPem: await readFile(resolve(io.cwd, flags.tlsCert), 'utf8'),
                keyPem: await readFile(resolve(io.cwd, flags.tlsKey), 'utf8'),
              }
            : flags.tls === true;
        const sim = await startGatewaySimulator({
          dataDir: resolve(io.cwd, flags.dataDir),
          host: flags.host,
          port: numbers.port,
          controlPort: numbers.controlPort,
          tokens,
          tls,
          name: flags.name,
          ignitionVersion: flags.ignitionVersion,
          deploymentMode: flags.deploymentMode,
          scanDurationMs: numbers.scanDurationMs,
          projectScanFrequencyS: numbers.frequency,
          scanLockSupported: flags.scanLock,
          lifecycle: flags.lifecycle,
          seed: flags.seed,
          logger,
        });
        let caFile: string | undefined;
        if (sim.caCertPem !== undefined && sim.caCertPem !== '' && flags.caOut !== undefined) {
          caFile = resolve(io.cwd, flags.caOut);
          await writeFile(caFile, sim.caCertPem);
        }
        io.stdout.write(
          `${JSON.stringify({ url: sim.url, controlUrl: sim.controlUrl, dataDir: sim.dataDir, ...(caFile === undefined ? {} : { caFile }) })}\n`,
        );
        await new Promise<void>((done) => {
          if (io.signal.aborted) done();
          else io.signal.addEventListener('abort', () => done(), { once: true });
        });
        await sim.close();
        ctx.setExitCode(ExitCode.ok);
      } catch (e: unknown) {
        const err = toOperatorError(e, CliReasons.GatewaySimFailed);
        io.stderr.write(`gateway-sim failed: ${err.message}\n`);
        ctx.setExitCode(ExitCode.failed);
      }
    });
};

function nonNegative(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0)
    throw new TypeError(`${flag} must be a non-negative number, got ${JSON.stringify(v)}`);
  return n;
}
