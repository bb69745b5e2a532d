import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  API_VERSION,
  ControllerPaths,
  type IgnitionSync,
  IgnitionSyncSpec,
  ObjectRoleLabel,
  ObjectRoles,
  Resources,
} from '../api/index.ts';
import { GitClient } from '../git/index.ts';
import {
  type AdmissionHandler,
  AdmissionServer,
  Controller,
  createHealthHandler,
  EventRecorder,
  Informer,
  KubeClient,
  Manager,
  type Reconciler,
} from '../kube/index.ts';
import {
  answerMetrics,
  type IgnitionSyncMetrics,
  isMetricsRequest,
  type Logger,
} from '../observability/index.ts';
import { createWebhookReceiver } from '../webhooks/index.ts';
import {
  configMapEventKey,
  ignitionSyncNeedsReconcile,
  podEventKeys,
  profileEventKeys,
} from './event-mapping.ts';
import { formatAddress, HttpServerRunnable, type ListenAddress } from './http-server.ts';
import { createInjectionHandler } from './injection/index.ts';
import { ControllerMetrics } from './metrics.ts';
import {
  type ConfigMapObject,
  type IgnitionSyncObject,
  type PodObject,
  parseIgnitionSync,
  type SyncProfileObject,
} from './objects.ts';
import { createIgnitionSyncReconciler } from './reconciler.ts';
import { WebhookKeys } from './webhook-keys.ts';
import { createWebhookRequests } from './webhook-requests.ts';

/** What the admission webhook's handler gets: the IgnitionSync cache and a logger. */
export interface InjectionHandlerDeps {
  lookupIgnitionSync(namespace: string, name: string): IgnitionSync | undefined;
  readonly logger: Logger;
}

/** The signature of `createInjectionHandler` in `./injection/index.ts`. */
export type InjectionHandlerFactory = (options: InjectionHandlerDeps) => AdmissionHandler;

export interface RunControllerOptions {
  readonly kubeConfig: KubeConfig;
  readonly logger: Logger;
  /** Aborting it (SIGTERM) stops gracefully: controllers drain, the Lease is released, servers close. */
  readonly signal: AbortSignal;
  /** Watch only this namespace (default: every namespace). */
  readonly namespace?: string | undefined;
  /** The webhook receiver (`POST /webhook/{namespace}/{name}`), plain HTTP. */
  readonly listen: ListenAddress;
  /** `/healthz`, `/readyz`, `/metrics`. */
  readonly probeListen: ListenAddress;
  /** The HTTPS admission server; absent: no admission server. */
  readonly admission?:
    | { readonly listen: ListenAddress; readonly certFile: string; readonly keyFile: string }
    | undefined;
  /** Lease-based leader election; absent: this replica always reconciles (single replica, tests). */
  readonly leaderElection?:
    | {
        readonly namespace: string;
        readonly name: string;
        readonly identity: string;
        readonly leaseDurationMs?: number;
        readonly renewDeadlineMs?: number;
        readonly retryPeriodMs?: number;
      }
    | undefined;
  /**
   * The admission handler served at `ControllerPaths.injectAgent`; default: the sidecar injection
   * (`createInjectionHandler` of `./injection/index.ts`). Tests pass a stand-in.
   */
  readonly admissionHandlers?: InjectionHandlerFactory | undefined;
  /** The agent image the injection uses when an IgnitionSync names none (default: the injection's). */
  readonly defaultAgentImage?: string | undefined;
  /** PATH for git and ssh. */
  readonly pathEnv?: string | undefined;
  /** Scratch for git's private HOME and the per-call credential directories. */
  readonly tmpDir?: string | undefined;
  readonly workers?: number | undefined;
  readonly gracePeriodMs?: number | undefined;
  /** The metrics served at `/metrics` (default: a fresh registry); other components register theirs on it. */
  readonly metrics?: IgnitionSyncMetrics | undefined;
}

/** `<hostname>_<pid>`: the default leader-election identity and Event `reportingInstance`. */
export function defaultIdentity(): string {
  return `${hostname()}_${process.pid}`;
}

const REPORT_SELECTOR = `${ObjectRoleLabel} in (${ObjectRoles.desiredState},${ObjectRoles.gatewayReport})`;

/**
 * `ignition-sync controller`: informers (IgnitionSync, SyncProfile, Pod, the operator's ConfigMaps) as
 * caches, the reconciler (leader only), the webhook receiver, probes and metrics and, with a certificate,
 * the admission server (every replica). Logs one `controller listening` line with the bound addresses,
 * then runs until `signal` aborts. Rejects when leadership is lost or a server fails (exit 1).
 */
export async function runController(options: RunControllerOptions): Promise<void> {
  const log = options.logger.child({ component: 'controller' });
  const client = new KubeClient(options.kubeConfig);
  const ns = options.namespace;
  const scoped = <T extends object>(r: T) => (ns === undefined ? r : { ...r, namespace: ns });
  const ignitionSyncs = new Informer<IgnitionSyncObject>({
    client,
    resource: scoped({ apiVersion: API_VERSION, plural: Resources.ignitionSyncs }),
    logger: options.logger,
  });
  const syncProfiles = new Informer<SyncProfileObject>({
    client,
    resource: scoped({ apiVersion: API_VERSION, plural: Resources.syncProfiles }),
    logger: options.logger,
  });
  const pods = new Informer<PodObject>({
    client,
    resource: scoped({ apiVersion: 'v1', plural: 'pods' }),
    logger: options.logger,
  });
  const configMaps = new Informer<ConfigMapObject>({
    client,
    resource: scoped({ apiVersion: 'v1', plural: 'configmaps' }),
    labelSelector: REPORT_SELECTOR,
    logger: options.logger,
  });
  const identity = options.leaderElection?.identity ?? defaultIdentity();
  const metrics = new ControllerMetrics(options.metrics === undefined ? {} : { shared: options.metrics });
  const events = new EventRecorder({
    client,
    component: 'ignition-sync-controller',
    instance: identity,
    logger: options.logger,
  });
  const git = new GitClient({
    logger: options.logger,
    ...(options.pathEnv === undefined ? {} : { pathEnv: options.pathEnv }),
    ...(options.tmpDir === undefined ? {} : { tmpDir: options.tmpDir }),
  });
  const reconcile = createIgnitionSyncReconciler({
    client,
    git,
    caches: { ignitionSyncs, syncProfiles, pods, configMaps },
    events,
    metrics,
    tmpDir: options.tmpDir,
  });
  const timed: Reconciler = async (key, ctx) => {
    const started = performance.now();
    let failed = true;
    try {
      const result = await reconcile(key, ctx);
      failed = false;
      return result;
    } finally {
      metrics.observeReconcile((performance.now() - started) / 1000, failed);
    }
  };
  const controller = new Controller({
    name: 'ignitionsync',
    reconcile: timed,
    logger: options.logger,
    workers: options.workers ?? 2,
    onReconciled: (outcome) => metrics.recordOutcome(outcome),
  });
  metrics.shared.trackQueueDepth('ignitionsync', () => controller.queue.len());

  // Event → IgnitionSync key. Handlers only enqueue.
  const keys = new WebhookKeys({ client, logger: log });
  const prefetchKey = (obj: IgnitionSyncObject): void => {
    const spec = IgnitionSyncSpec.safeParse(obj.spec);
    const webhook = spec.success ? spec.data.webhook : undefined;
    if (webhook?.enabled === true && webhook.secretRef !== undefined && obj.metadata.namespace !== undefined)
      keys.prefetch(obj.metadata.namespace, webhook.secretRef);
  };
  const keyOf = (obj: { metadata: { namespace?: string; name: string } }): string =>
    `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
  ignitionSyncs.addHandlers({
    onAdd: (obj) => {
      prefetchKey(obj);
      controller.enqueue(keyOf(obj));
    },
    onUpdate: (oldObj, newObj) => {
      prefetchKey(newObj);
      if (ignitionSyncNeedsReconcile(oldObj, newObj)) controller.enqueue(keyOf(newObj));
    },
    onDelete: (obj) => controller.enqueue(keyOf(obj)),
  });
  pods.addHandlers({
    onAdd: (pod) => {
      for (const k of podEventKeys(undefined, pod)) controller.enqueue(k);
    },
    onUpdate: (oldPod, newPod) => {
      for (const k of podEventKeys(oldPod, newPod)) controller.enqueue(k);
    },
    onDelete: (pod) => {
      for (const k of podEventKeys(pod, undefined)) controller.enqueue(k);
    },
  });
  const onConfigMap = (cm: ConfigMapObject): void => {
    const k = configMapEventKey(cm);
    if (k !== undefined) controller.enqueue(k);
  };
  configMaps.addHandlers({ onAdd: onConfigMap, onUpdate: (_o, n) => onConfigMap(n), onDelete: onConfigMap });
  const onProfile = (profile: SyncProfileObject): void => {
    for (const k of profileEventKeys(profile, pods.list())) controller.enqueue(k);
  };
  syncProfiles.addHandlers({ onAdd: onProfile, onUpdate: (_o, n) => onProfile(n), onDelete: onProfile });

  // Servers (every replica).
  const receiver = createWebhookReceiver({
    ...createWebhookRequests({
      client,
      keys,
      lookup: (namespace, name) => ignitionSyncs.get(`${namespace}/${name}`),
      logger: log,
    }),
    logger: options.logger,
    metrics: metrics.shared,
  });
  const webhookServer = new HttpServerRunnable(
    'webhook-receiver',
    options.listen,
    (req: IncomingMessage, res: ServerResponse) => receiver(req, res),
  );
  const manager = new Manager({
    logger: options.logger,
    ...(options.gracePeriodMs === undefined ? {} : { gracePeriodMs: options.gracePeriodMs }),
    ...(options.leaderElection === undefined
      ? {}
      : {
          leaderElection: {
            client,
            namespace: options.leaderElection.namespace,
            name: options.leaderElection.name,
            identity,
            ...(options.leaderElection.leaseDurationMs === undefined
              ? {}
              : { leaseDurationMs: options.leaderElection.leaseDurationMs }),
            ...(options.leaderElection.renewDeadlineMs === undefined
              ? {}
              : { renewDeadlineMs: options.leaderElection.renewDeadlineMs }),
            ...(options.leaderElection.retryPeriodMs === undefined
              ? {}
              : { retryPeriodMs: options.leaderElection.retryPeriodMs }),
          },
        }),
  });
  const health = createHealthHandler({
    liveness: { ping: () => true },
    readiness: { caches: () => manager.hasSynced() },
  });
  const probeServer = new HttpServerRunnable('probes', options.probeListen, (req, res) =>
    isMetricsRequest(req) ? answerMetrics(metrics.shared, res) : health(req, res),
  );
  let admission: AdmissionServer | undefined;
  if (options.admission !== undefined) {
    const defaultImage = options.defaultAgentImage;
    const factory: InjectionHandlerFactory =
      options.admissionHandlers ??
      ((deps) => createInjectionHandler(defaultImage === undefined ? deps : { ...deps, defaultImage }));
    const handlers: Record<string, AdmissionHandler> = {
      [ControllerPaths.injectAgent]: factory({
        lookupIgnitionSync: (namespace, name) => {
          const obj = ignitionSyncs.get(`${namespace}/${name}`);
          return obj === undefined ? undefined : parseIgnitionSync(obj);
        },
        logger: options.logger,
      }),
    };
    admission = new AdmissionServer({
      certFile: options.admission.certFile,
      keyFile: options.admission.keyFile,
      handlers,
      logger: options.logger,
      host: options.admission.listen.host,
      port: options.admission.listen.port,
    });
  }

  for (const informer of [ignitionSyncs, syncProfiles, pods, configMaps])
    manager.add(informer).addCache(informer);
  manager.add(controller).add(webhookServer).add(probeServer);
  if (admission !== undefined) manager.add(admission);

  try {
    const [webhook, probes, admissionPort] = await Promise.all([
      webhookServer.listen(),
      probeServer.listen(),
      admission?.listen(),
    ]);
    log.info(
      {
        webhook: formatAddress(webhook),
        probes: formatAddress(probes),
        admission:
          admissionPort === undefined || options.admission === undefined
            ? null
            : `${options.admission.listen.host}:${admissionPort}`,
        identity,
        namespace: ns ?? null,
        leaderElection: options.leaderElection !== undefined,
      },
      'controller listening',
    );
    await manager.start(options.signal);
  } finally {
    await Promise.all([webhookServer.close(), probeServer.close(), admission?.close()]);
    await git.close();
    log.info('controller stopped');
  }
}
