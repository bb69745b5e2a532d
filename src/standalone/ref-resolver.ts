import { toOperatorError } from '../errors.ts';
import type { GitAuth, GitClient } from '../git/index.ts';
import type { Logger } from '../observability/index.ts';
import { StandaloneReasons } from '../reasons/index.ts';
import { gitAuthFromSpec } from './git-auth-from-spec.ts';
import type { RequestedRef, RequestedRefStore } from './requested-ref-store.ts';
import type { SecretsDir } from './secrets-dir.ts';
import type { StandaloneSync } from './standalone-config.ts';

/** What a round applies: the effective ref of an IgnitionSync and the commit it resolved to. */
export interface ResolvedTarget {
  readonly ref: string;
  readonly commit: string;
  /** The full ref name git resolved (`refs/tags/2.0.0`), for the fetch. */
  readonly refName: string;
  readonly auth: GitAuth;
}

export interface RefResolverOptions {
  readonly git: GitClient;
  readonly secrets: SecretsDir;
  readonly requestedRefs: RequestedRefStore;
  readonly logger: Logger;
  readonly signal: AbortSignal;
}

/**
 * The resolve half of a round (the controller's job in Kubernetes): which ref an IgnitionSync follows (a
 * webhook's request, persisted, else `spec.git.ref`) and the commit it points at now, with one `ls-remote`
 * per round whatever the number of gateways.
 */
export class RefResolver {
  readonly #sync: StandaloneSync;
  readonly #options: RefResolverOptions;
  #requested: RequestedRef | undefined;
  #isLoaded = false;
  #next: RequestedRef | 'clear' | undefined;

  constructor(sync: StandaloneSync, options: RefResolverOptions) {
    this.#sync = sync;
    this.#options = options;
  }

  /** The ref rounds resolve: a persisted webhook request, else `spec.git.ref`. */
  get effectiveRef(): string {
    return this.#requested?.ref ?? this.#sync.spec.git.ref;
  }

  /** The pin (a webhook's request, followed instead of `spec.git.ref`), once loaded; undefined when none. */
  get pin(): RequestedRef | undefined {
    return this.#requested;
  }

  /** A webhook asked for `ref`; the next round adopts it (the latest request wins). */
  request(ref: RequestedRef): void {
    this.#next = ref;
  }

  /** A webhook asked for `spec.git.ref` itself: the next round drops the pin (the latest request wins). */
  clearRequest(): void {
    this.#next = 'clear';
  }

  /** Loads the persisted request once, then adopts (and persists) the latest webhook request, if any. */
  async prepare(): Promise<void> {
    if (!this.#isLoaded) {
      const { namespace, name, spec } = this.#sync;
      this.#requested = await this.#options.requestedRefs.load(namespace, name, spec.git.ref);
      this.#isLoaded = true;
    }
    const request = this.#next;
    this.#next = undefined;
    if (request === undefined) return;
    if (request === 'clear') {
      const cleared = this.#requested;
      this.#requested = undefined;
      if (cleared !== undefined) {
        this.#options.logger.info(
          { pinnedRef: cleared.ref, requestedBy: cleared.requestedBy, requestedAt: cleared.requestedAt },
          `pin cleared: following spec.git.ref ${this.#sync.spec.git.ref} again`,
        );
      }
      await this.#options.requestedRefs.clear(this.#sync.namespace, this.#sync.name).catch((e: unknown) => {
        this.#options.logger.warn(
          { err: toOperatorError(e, StandaloneReasons.SyncFailed) },
          'removing the requested ref failed; a restart would pin again',
        );
      });
      return;
    }
    this.#requested = request;
    await this.#options.requestedRefs
      .save(this.#sync.namespace, this.#sync.name, request)
      .catch((e: unknown) => {
        // Still sync what was asked; only a restart would fall back to spec.git.ref.
        this.#options.logger.warn(
          { err: toOperatorError(e, StandaloneReasons.SyncFailed) },
          'persisting the requested ref failed',
        );
      });
  }

  /** `git ls-remote` of the effective ref. Throws the git layer's typed errors. */
  async resolve(): Promise<ResolvedTarget> {
    const ref = this.effectiveRef;
    const auth = gitAuthFromSpec(this.#sync.spec.git, this.#options.secrets);
    const repo = this.#sync.spec.git.repo;
    const resolved = await this.#options.git.resolveRef({ repo, ref, auth, signal: this.#options.signal });
    for (const warning of resolved.warnings) this.#options.logger.warn({ warning, ref }, 'git warning');
    return { ref, commit: resolved.commit, refName: resolved.refName, auth };
  }
}
