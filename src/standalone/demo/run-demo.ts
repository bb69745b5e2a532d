import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { type GatewaySimulator, startGatewaySimulator } from '../../ignition/simulator/index.ts';
import type { Logger } from '../../observability/index.ts';
import { type RunStandaloneOptions, runStandalone } from '../run-standalone.ts';
import type { GatewayProgress } from '../sync-worker.ts';
import { nextReleaseTag, renderDemoBanner } from './demo-banner.ts';
import { runDemoGit } from './demo-git.ts';
import {
  exampleGatewayNames,
  loadExampleDocuments,
  prepareDemoState,
  renderDemoConfig,
} from './prepare-demo-state.ts';

export interface RunDemoOptions {
  /** `examples/proveit` (repository content + config YAML). */
  readonly exampleDir: string;
  /** Everything the demo creates lives here (default in bin: ./.state/demo). */
  readonly stateDir: string;
  /** Webhook receiver address (bin default 127.0.0.1:8443; tests use port 0). */
  readonly listen: string;
  readonly cwd: string;
  readonly pathEnv: string;
  readonly stdout: RunStandaloneOptions['stdout'];
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly onProgress?: ((progress: GatewayProgress) => void) | undefined;
  /** Called with the banner facts once the receiver listens (tests use it to find the URLs). */
  readonly onReady?: ((ready: DemoReady) => void) | undefined;
}

export interface DemoReady {
  readonly webhookUrl: string;
  readonly webhookSecretFile: string;
  readonly repoDir: string;
  readonly gateways: ReadonlyArray<{
    readonly name: string;
    readonly url: string;
    readonly controlUrl: string;
    readonly dataDir: string;
  }>;
}

/**
 * `npm start`: prepares (or reuses) the demo folder, starts one gateway simulator per example Gateway over
 * its data dir, writes the runner config, and runs the standalone runner with the webhook receiver until
 * `signal` aborts. Resolves with the runner's exit code after the simulators are closed.
 */
export async function runDemo(options: RunDemoOptions): Promise<number> {
  const state = await prepareDemoState(options);
  const docs = await loadExampleDocuments(options.exampleDir);
  const names = exampleGatewayNames(docs);
  const simulators: Array<{ name: string; dataDir: string; sim: GatewaySimulator }> = [];
  try {
    for (const name of names) {
      const dataDir = state.gatewayDataDir(name);
      await mkdir(dataDir, { recursive: true });
      const sim = await startGatewaySimulator({
        dataDir,
        name,
        host: '127.0.0.1',
        port: 0,
        controlPort: 0,
        tokens: [state.apiToken],
        ...(name === 'site' ? { deploymentMode: 'prd-cloud' } : {}),
      });
      simulators.push({ name, dataDir, sim });
    }
    const urls = new Map(simulators.map((s) => [s.name, s.sim.url]));
    await mkdir(state.configFile.slice(0, state.configFile.lastIndexOf('/')), { recursive: true });
    await writeFile(state.configFile, renderDemoConfig(docs, state.repoDir, urls));
    const tags = (
      await runDemoGit(['tag', '--list'], { cwd: state.repoDir, pathEnv: options.pathEnv })
    ).split('\n');
    const onListening = (address: AddressInfo): void => {
      const webhookUrl = `http://${address.address}:${address.port}/webhook/site1/proveit-sync`;
      const gateways = simulators.map((s) => ({
        name: s.name,
        url: s.sim.url,
        controlUrl: s.sim.controlUrl,
        dataDir: s.dataDir,
      }));
      options.stdout.write(
        renderDemoBanner({
          cwd: options.cwd,
          repoDir: state.repoDir,
          webhookSecretFile: state.webhookSecretFile,
          webhookUrl,
          gateways,
          isNew: state.isNew,
          nextTag: nextReleaseTag(tags),
        }),
      );
      options.onReady?.({
        webhookUrl,
        webhookSecretFile: state.webhookSecretFile,
        repoDir: state.repoDir,
        gateways,
      });
    };
    return await runStandalone({
      paths: [state.configFile],
      cwd: options.cwd,
      secretsDir: state.secretsDir,
      stateDir: state.runnerStateDir,
      once: false,
      dryRun: false,
      output: 'text',
      listen: options.listen,
      stdout: options.stdout,
      logger: options.logger,
      signal: options.signal,
      pathEnv: options.pathEnv,
      onListening,
      onProgress: options.onProgress,
    });
  } finally {
    await Promise.all(simulators.map((s) => s.sim.close()));
  }
}
