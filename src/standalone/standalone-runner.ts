import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseDurationMs } from '../api/index.ts';
import { OperatorError } from '../errors.ts';
import type { GitClient } from '../git/index.ts';
import {
  answerMetrics,
  createMetricsRegistry,
  IgnitionSyncMetrics,
  isMetricsRequest,
  type Logger,
} from '../observability/index.ts';
import { StandaloneReasons } from '../reasons/index.ts';
import {
  createWebhookReceiver,
  decideWebhookAction,
  ReceiverReasons,
  type WebhookEvent,
} from '../webhooks/index.ts';
import type { GatewayReport } from './gateway-report.ts';
import type { ListenAddress } from './listen-address.ts';
import { RequestedRefStore } from './requested-ref-store.ts';
import { SecretsDir } from './secrets-dir.ts';
import { type StandaloneConfig, syncKeyOf } from './standalone-config.ts';
import { type GatewayProgress, SyncWorker } from './sync-worker.ts';
import { WebhookKeyCache } from './webhook-key-cache.ts';

export interface StandaloneRunnerOptions {
  readonly config: StandaloneConfig;
  readonly git: GitClient;
  readonly secretsDir?: string | undefined;
  /** Shared checkouts and persisted webhook requests. */
  readonly stateDir: string;
  readonly dryRun?: boolean;
  readonly logger: Logger;
  readonly onProgress?: (progress: GatewayProgress) => void;
  readonly bodyLimitBytes?: number | undefined;
  /** After shutdown begins, in-flight gateway waits are aborted after this long. Default 30 s. */
  readonly shutdownGraceMs?: number;
  /** Served at `/metrics` beside the webhook receiver (default: a fresh registry). */
  readonly metrics?: IgnitionSyncMetrics | undefined;
}

/**
 * `ignition-sync run`: one SyncWorker per IgnitionSync, polling per `spec.polling`, the webhook receiver
 * (accepted events sync their IgnitionSync at once), and a clean stop: no new rounds once stopping, rounds
 * in flight finish (their waits are aborted after the grace period; an apply always finishes its file
 * operations), then `start` resolves.
 */
export class StandaloneRunner {
  readonly #options: StandaloneRunnerOptions;
  readonly #workers = new Map<string, SyncWorker>();
  readonly #stop = new AbortController();
  readonly #hard = new AbortController();
  readonly #log: Logger;
  readonly #secrets: SecretsDir;
  readonly #keys: WebhookKeyCache;
  readonly metrics: IgnitionSyncMetrics;
  #server: Server | undefined;

  constructor(options: StandaloneRunnerOptions) {
    this.#options = options;
    this.#log = options.logger.child({ component: 'standalone' });
    this.#secrets = new SecretsDir(options.secretsDir);
    this.metrics = options.metrics ?? new IgnitionSyncMetrics(createMetricsRegistry());
    this.#keys = new WebhookKeyCache({
      secrets: this.#secrets,
      onError: (ref, e) =>
        this.#log.warn(
          { err: e, secret: `${ref.name}/${ref.key}` },
          'webhook key unreadable; deliveries are refused',
        ),
    });
    const requestedRefs = new RequestedRefStore(options.stateDir);
    for (const sync of options.config.syncs) {
      this.#workers.set(
        sync.key,
        new SyncWorker(sync, {
          git: options.git,
          secrets: this.#secrets,
          requestedRefs,
          stateDir: options.stateDir,
          dryRun: options.dryRun ?? false,
          logger: options.logger,
          stopSignal: this.#stop.signal,
          signal: this.#hard.signal,
          metrics: this.metrics,
          ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
        }),
      );
    }
    const workers = [...this.#workers.values()];
    this.metrics.trackQueueDepth('rounds', () => workers.filter((w) => w.hasPendingRound).length);
    this.metrics.trackQueueDepth('gateway_syncs', () =>
      workers.reduce((n, w) => n + w.waitingGatewaySyncs, 0),
    );
  }

  /** Every gateway once (one round per IgnitionSync, concurrently), then the reports in config order. */
  async runOnce(): Promise<GatewayReport[]> {
    const rounds = await Promise.all([...this.#workers.values()].map((w) => w.trigger({ cause: 'once' })));
    return rounds.flat();
  }

  /** Resolves once no round is running or queued in any worker. */
  async idle(): Promise<void> {
    await Promise.all([...this.#workers.values()].map((w) => w.idle()));
  }

  /** The bound webhook address once listening. */
  get webhookAddress(): AddressInfo | undefined {
    const address = this.#server?.address();
    return typeof address === 'object' && address !== null ? address : undefined;
  }

  /** Starts the webhook receiver and `GET /metrics` on `listen`; resolves once it is bound. */
  async listen(listen: ListenAddress): Promise<AddressInfo> {
    const refs = [...this.#workers.keys()].map((k) => this.#webhookRefOf(k)).filter((r) => r !== undefined);
    await this.#keys.preload(refs);
    const receiver = createWebhookReceiver({
      lookupSecret: (namespace, name) => this.#lookupSecret(namespace, name),
      onAccepted: (event) => this.#onWebhook(event),
      logger: this.#options.logger,
      metrics: this.metrics,
      ...(this.#options.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: this.#options.bodyLimitBytes }),
    });
    const server = createServer((req, res) =>
      isMetricsRequest(req) ? answerMetrics(this.metrics, res) : receiver(req, res),
    );
    server.requestTimeout = 30_000;
    server.headersTimeout = 10_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listen.port, listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
    const address = server.address() as AddressInfo;
    this.#log.info({ address: address.address, port: address.port }, 'webhook receiver listening');
    return address;
  }

  /**
   * Runs until `signal` aborts: a first round for every IgnitionSync, then polling; webhooks trigger rounds
   * at once. Resolves after a clean stop.
   */
  async run(signal: AbortSignal): Promise<void> {
    const onAbort = (): void => this.#beginStop();
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const loops = [...this.#workers.values()].map((worker) => this.#pollLoop(worker));
      // Serve (webhooks, polling) until told to stop, even when no IgnitionSync polls.
      const stopped = new Promise<void>((resolve) => {
        if (this.#stop.signal.aborted) resolve();
        else this.#stop.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await Promise.all([...loops, stopped]);
      await this.idle();
    } finally {
      signal.removeEventListener('abort', onAbort);
      await this.#closeServer();
    }
  }

  #beginStop(): void {
    if (this.#stop.signal.aborted) return;
    this.#log.info('shutting down: finishing syncs in flight');
    this.#stop.abort();
    const grace = this.#options.shutdownGraceMs ?? 30_000;
    sleep(grace, undefined, { ref: false }).then(
      () =>
        this.#hard.abort(new OperatorError(StandaloneReasons.ShuttingDown, 'shutdown grace period elapsed')),
      () => {},
    );
    // Stop accepting deliveries; requests in flight are answered.
    this.#server?.close();
  }

  async #pollLoop(worker: SyncWorker): Promise<void> {
    const polling = worker.sync.spec.polling;
    const intervalMs = parseDurationMs(polling.interval) ?? 60_000;
    await worker.trigger({ cause: 'start' });
    if (!polling.enabled) return;
    while (!this.#stop.signal.aborted) {
      try {
        await sleep(intervalMs, undefined, { signal: this.#stop.signal });
      } catch {
        return;
      }
      await worker.trigger({ cause: 'poll' });
    }
  }

  async #closeServer(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    this.#server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      // A client holding a connection open must not keep the process alive: cut it after 2 s.
      const timer = setTimeout(() => server.closeAllConnections(), 2_000);
      timer.unref();
    });
  }

  /** The webhook key of an IgnitionSync, from memory: the same cost for known and unknown targets. */
  async #lookupSecret(namespace: string, name: string): Promise<Buffer | undefined> {
    const ref = this.#webhookRefOf(syncKeyOf(namespace, name));
    return ref === undefined ? undefined : this.#keys.get(ref);
  }

  #webhookRefOf(key: string) {
    const webhook = this.#workers.get(key)?.sync.spec.webhook;
    return webhook?.enabled === true ? webhook.secretRef : undefined;
  }

  async #onWebhook(event: WebhookEvent) {
    const worker = this.#workers.get(syncKeyOf(event.namespace, event.name));
    if (worker === undefined) {
      throw new OperatorError(ReceiverReasons.WebhookTargetNotFound, 'webhook target not found', {
        kind: 'stalling',
      });
    }
    if (this.#stop.signal.aborted) return { accepted: false as const, reason: 'shutting down' };
    if (worker.sync.spec.paused) return { accepted: false as const, reason: 'IgnitionSync is paused' };
    await worker.load();
    const spec = worker.sync.spec.git;
    const pin = worker.pin;
    const action = decideWebhookAction(event, {
      key: worker.sync.key,
      specRef: spec.ref,
      specRepo: spec.repo,
      pin,
    });
    this.#log.info(
      {
        sync: worker.sync.key,
        provider: event.provider,
        ref: event.ref,
        action: action.kind,
        ...(pin === undefined
          ? {}
          : { pinnedRef: pin.ref, pinnedBy: pin.requestedBy, pinnedAt: pin.requestedAt }),
        ...(action.decision.accepted ? {} : { reason: action.decision.reason }),
      },
      'webhook event',
    );
    // Answer now (Kargo and GitHub time out after ~10 s); the round reports through progress and logs.
    if (action.kind === 'unpin') {
      worker.trigger({ cause: 'webhook', clearRequestedRef: true }).catch(() => {});
    } else if (action.kind === 'sync') {
      const requestedRef =
        action.requestRef === undefined
          ? undefined
          : {
              ref: action.requestRef,
              specRef: spec.ref,
              requestedAt: new Date().toISOString(),
              requestedBy: `webhook/${event.provider}${event.deliveryId === undefined ? '' : ` delivery ${event.deliveryId.slice(0, 64)}`}`,
            };
      worker
        .trigger({ cause: 'webhook', ...(requestedRef === undefined ? {} : { requestedRef }) })
        .catch(() => {});
    }
    return action.decision;
  }
}
