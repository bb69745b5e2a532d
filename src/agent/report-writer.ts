import { gatewayReportName } from '../api/index.ts';
import { toOperatorError } from '../errors.ts';
import {
  type Clock,
  collectionPath,
  isAlreadyExists,
  isConflict,
  isNotFound,
  type KubeClient,
  objectPath,
  type TimerHandle,
} from '../kube/index.ts';
import type { Logger } from '../observability/index.ts';
import { AgentReasons } from '../reasons/index.ts';
import type { AgentIdentity } from './agent-config.ts';
import { type GatewayReport, parseReportConfigMap, reportConfigMap, reportText } from './gateway-report.ts';
import type { ConfigMap } from './kube-objects.ts';

export interface ReportWriterOptions {
  readonly client: KubeClient;
  readonly identity: AgentIdentity;
  readonly logger: Logger;
  readonly clock: Clock;
  /** After a failed write, the latest report is written again after this long. Default 5 s. */
  readonly retryMs?: number | undefined;
}

const MAX_ATTEMPTS = 4;

/**
 * Writes the agent's one report ConfigMap (`<pod>.sync-status`). The agent is its only writer: it reads
 * the object once at start (its resourceVersion and the report a previous process left), then creates it
 * or replaces it with the resourceVersion it last read or wrote (a 409 re-reads and retries, a 404
 * re-creates). An identical report is not written again. Writes are serialised; a write that still fails
 * is logged (`ReportWriteFailed`) and the latest report is written again after `retryMs`.
 */
export class ReportWriter {
  readonly #options: ReportWriterOptions;
  readonly #resource: { apiVersion: string; plural: string; namespace: string };
  readonly #name: string;
  #resourceVersion: string | undefined;
  /** What the object holds as far as we know (written by us, or found at start). */
  #stored: GatewayReport | undefined;
  #storedText: string | undefined;
  /** The latest report asked for; written when `#storedText` differs. */
  #wanted: GatewayReport | undefined;
  #chain: Promise<void> = Promise.resolve();
  #retry: TimerHandle | undefined;
  #closed = false;
  /** Writes that reached the apiserver (tests and logs). */
  writes = 0;

  constructor(options: ReportWriterOptions) {
    this.#options = options;
    this.#resource = { apiVersion: 'v1', plural: 'configmaps', namespace: options.identity.namespace };
    this.#name = gatewayReportName(options.identity.podName);
  }

  /** The last report known to be stored (found at start or written since). */
  get stored(): GatewayReport | undefined {
    return this.#stored;
  }

  /** The latest report asked for (written or not). */
  get latest(): GatewayReport | undefined {
    return this.#wanted ?? this.#stored;
  }

  /** Reads the existing report object, if any: its resourceVersion and the report it holds. */
  async load(signal?: AbortSignal): Promise<GatewayReport | undefined> {
    try {
      const cm = await this.#get(signal);
      this.#remember(cm);
    } catch (e: unknown) {
      if (!isNotFound(e)) throw e;
      this.#resourceVersion = undefined;
    }
    return this.#stored;
  }

  /** Asks for `report` to be stored; resolves when it was written, skipped as identical, or failed (logged). */
  write(report: GatewayReport): Promise<void> {
    this.#wanted = report;
    const run = this.#chain.then(() => this.#flush());
    this.#chain = run.catch(() => undefined);
    return this.#chain;
  }

  /** Stops the retry timer; later writes are ignored. */
  close(): void {
    this.#closed = true;
    if (this.#retry !== undefined) this.#options.clock.clearTimeout(this.#retry);
    this.#retry = undefined;
  }

  async #flush(): Promise<void> {
    const wanted = this.#wanted;
    if (wanted === undefined || this.#closed) return;
    let text: string;
    try {
      text = reportText(wanted);
    } catch (e: unknown) {
      this.#options.logger.error(
        { err: e, reason: AgentReasons.ReportWriteFailed },
        'report breaks the contract',
      );
      return;
    }
    if (text === this.#storedText) return;
    if (this.#retry !== undefined) {
      this.#options.clock.clearTimeout(this.#retry);
      this.#retry = undefined;
    }
    try {
      await this.#put(wanted);
    } catch (e: unknown) {
      const err = toOperatorError(e, AgentReasons.ReportWriteFailed);
      this.#options.logger.warn(
        { err: { message: err.message }, reason: AgentReasons.ReportWriteFailed, cause: err.reason },
        'writing the gateway report failed; retrying later',
      );
      if (!this.#closed) {
        this.#retry = this.#options.clock.setTimeout(() => {
          this.#retry = undefined;
          this.#chain = this.#chain.then(() => this.#flush());
        }, this.#options.retryMs ?? 5_000);
      }
    }
  }

  async #put(report: GatewayReport): Promise<void> {
    const { client, identity } = this.#options;
    for (let attempt = 1; ; attempt++) {
      try {
        const body = reportConfigMap(identity, report, this.#resourceVersion);
        const written =
          this.#resourceVersion === undefined
            ? await client.request<ConfigMap>({ method: 'POST', path: collectionPath(this.#resource), body })
            : await client.request<ConfigMap>({
                method: 'PUT',
                path: objectPath({ ...this.#resource, name: this.#name }),
                body,
              });
        this.writes += 1;
        this.#remember(written);
        return;
      } catch (e: unknown) {
        if (attempt >= MAX_ATTEMPTS) throw e;
        if (isAlreadyExists(e) || isConflict(e)) {
          // Created before we knew of it, or changed since we read it: read it again, then replace it.
          this.#remember(await this.#get());
        } else if (isNotFound(e)) {
          this.#resourceVersion = undefined;
        } else {
          throw e;
        }
      }
    }
  }

  #get(signal?: AbortSignal): Promise<ConfigMap> {
    return this.#options.client.get<ConfigMap>(objectPath({ ...this.#resource, name: this.#name }), signal);
  }

  #remember(cm: ConfigMap): void {
    this.#resourceVersion = cm.metadata?.resourceVersion;
    this.#stored = parseReportConfigMap(cm);
    this.#storedText = this.#stored === undefined ? undefined : reportText(this.#stored);
  }
}
