import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import { desiredStateName } from '../api/index.ts';
import type { CycleTimeouts, SyncEngine } from '../gateway-sync/index.ts';
import { GitClient } from '../git/index.ts';
import { type Clock, createHealthHandler, Informer, KubeClient } from '../kube/index.ts';
import {
  answerMetrics,
  createMetricsRegistry,
  IgnitionSyncMetrics,
  isMetricsRequest,
  type Logger,
} from '../observability/index.ts';
import type { AgentConfig } from './agent-config.ts';
import type { ConfigMap } from './kube-objects.ts';
import type { ListenAddress } from './listen-address.ts';
import type { RetryPolicy } from './retry-policy.ts';
import { SyncAgent } from './sync-agent.ts';

export interface RunAgentOptions extends AgentConfig {
  readonly kubeConfig: KubeConfig;
  readonly logger: Logger;
  /** Abort to stop: the sync in flight stops at its next wait (a running apply finishes its files). */
  readonly signal: AbortSignal;
  /** PATH for git and ssh. */
  readonly pathEnv?: string | undefined;
  /** Serve `/healthz`, `/readyz` and `/metrics` here. */
  readonly probeListen?: ListenAddress | undefined;
  /** Called once the probe server is bound (tests read the port). */
  readonly onProbeListening?: ((address: AddressInfo) => void) | undefined;
  readonly clock?: Clock | undefined;
  readonly retry?: Partial<RetryPolicy> | undefined;
  readonly verifyIntervalMs?: number | undefined;
  readonly timeouts?: CycleTimeouts | undefined;
  readonly engine?: SyncEngine | undefined;
  /** Served at `/metrics` (default: a fresh registry). */
  readonly metrics?: IgnitionSyncMetrics | undefined;
}

/** The exit code of `ignition-sync agent`: 0 after a requested stop. */
export const AgentExitCode = { ok: 0, failed: 1, invalidConfig: 2 } as const;

/**
 * The sync agent: watches its IgnitionSync's desired-state ConfigMap (one object, by name), syncs its
 * gateway to the published commit and writes its own report ConfigMap, until `signal` aborts. Resolves 0.
 */
export async function runAgent(options: RunAgentOptions): Promise<number> {
  const { identity, settings, logger } = options;
  const routing =
    identity.routing.kind === 'profile'
      ? { profile: identity.routing.profile }
      : { servicePath: identity.routing.servicePath };
  logger.info(
    {
      pod: identity.podName,
      namespace: identity.namespace,
      crName: identity.crName,
      ...routing,
      gateway: identity.gatewayName,
      dataDir: settings.dataDir,
      workDir: settings.workDir,
      ...(settings.gatewayUrl === undefined ? {} : { gatewayUrl: settings.gatewayUrl }),
    },
    'sync agent starting',
  );
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(options.signal.reason);
  if (options.signal.aborted) stop.abort();
  else options.signal.addEventListener('abort', onAbort, { once: true });
  // Scratch (an emptyDir in the pod): the checkout and git's private HOME. Unlike the data dir it may be created.
  await mkdir(settings.workDir, { recursive: true });
  const client = new KubeClient(options.kubeConfig);
  const git = new GitClient({
    logger,
    tmpDir: settings.workDir,
    ...(options.pathEnv === undefined ? {} : { pathEnv: options.pathEnv }),
  });
  const metrics = options.metrics ?? new IgnitionSyncMetrics(createMetricsRegistry());
  const agent = new SyncAgent({
    metrics,
    identity,
    settings,
    client,
    git,
    logger,
    clock: options.clock,
    retry: options.retry,
    verifyIntervalMs: options.verifyIntervalMs,
    timeouts: options.timeouts,
    engine: options.engine,
  });
  const informer = new Informer<ConfigMap>({
    client,
    resource: { apiVersion: 'v1', plural: 'configmaps', namespace: identity.namespace },
    fieldSelector: `metadata.name=${desiredStateName(identity.crName)}`,
    logger,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  informer.addHandlers({
    onAdd: (cm) => agent.observe(cm),
    onUpdate: (_old, cm) => agent.observe(cm),
    onDelete: () => agent.observe(undefined),
  });
  let server: Server | undefined;
  try {
    if (options.probeListen !== undefined) {
      server = await listenProbes(options.probeListen, { agent, informer, metrics });
      const address = server.address() as AddressInfo;
      logger.info({ address: `${address.address}:${address.port}` }, 'probe server listening');
      options.onProbeListening?.(address);
    }
    const watching = informer.start(stop.signal);
    const looping = (async () => {
      try {
        await informer.waitForSync(stop.signal);
      } catch {
        return;
      }
      if (informer.list().length === 0) agent.observe(undefined);
      await agent.run(stop.signal);
    })();
    await Promise.all([watching, looping]);
    logger.info('sync agent stopped');
    return AgentExitCode.ok;
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    stop.abort();
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
    await git.close();
  }
}

/** `/healthz`, `/readyz` (the initial-sync gate: `SyncAgent.isReady`) and `/metrics`. */
function listenProbes(
  address: ListenAddress,
  parts: {
    readonly agent: SyncAgent;
    readonly informer: { hasSynced(): boolean };
    readonly metrics: IgnitionSyncMetrics;
  },
): Promise<Server> {
  const { agent, informer, metrics } = parts;
  const health = createHealthHandler({
    liveness: { agent: () => true },
    readiness: { desiredStateWatched: () => informer.hasSynced(), initialSync: () => agent.isReady() },
  });
  const server = createServer((req, res) =>
    isMetricsRequest(req) ? answerMetrics(metrics, res) : health(req, res),
  );
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
