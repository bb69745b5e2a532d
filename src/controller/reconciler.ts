import {
  API_VERSION,
  ConditionTypes,
  desiredStateName,
  gatewayReportName,
  IGNITION_SYNC_FINALIZER,
  IgnitionSyncAnnotations,
  IgnitionSyncSpec,
  type IgnitionSyncStatus,
  Kinds,
  parseDurationMs,
  Resources,
  SyncProfileSpec,
} from '../api/index.ts';
import { OperatorError, toOperatorError } from '../errors.ts';
import type { GitClient } from '../git/index.ts';
import {
  collectionPath,
  type EventRecorder,
  getControllerOf,
  hasFinalizer,
  type Informer,
  isBeingDeleted,
  isConflict,
  isNotFound,
  type KubeClient,
  objectPath,
  type ReconcileContext,
  type Reconciler,
  splitObjectKey,
  updateFinalizer,
  updateStatus,
} from '../kube/index.ts';
import { ApiReasons, ControllerReasons } from '../reasons/index.ts';
import { computeStatus, type Failure, type Observation, type Resolution } from './compute-status.ts';
import { buildDesiredState, planDesiredStateWrite, readDesiredState } from './desired-state.ts';
import { effectiveRef, planRequestedRefCleanup } from './effective-ref.ts';
import {
  discoveredGateway,
  type GatewayPod,
  gatewayPodsOf,
  type ProfileState,
  readGatewayReport,
} from './gateway-discovery.ts';
import { isHostKeyVerificationDisabled, withGitCredentials } from './git-credentials.ts';
import type { ControllerMetrics } from './metrics.ts';
import type { ConfigMapObject, IgnitionSyncObject, PodObject, SyncProfileObject } from './objects.ts';
import { ResolutionCache } from './resolution-cache.ts';

/** The informer caches the reconciler reads (level-based: it never trusts an event payload). */
export interface ControllerCaches {
  readonly ignitionSyncs: Informer<IgnitionSyncObject>;
  readonly syncProfiles: Informer<SyncProfileObject>;
  readonly pods: Informer<PodObject>;
  readonly configMaps: Informer<ConfigMapObject>;
}

export interface ReconcilerOptions {
  readonly client: KubeClient;
  readonly git: GitClient;
  readonly caches: ControllerCaches;
  readonly events: EventRecorder;
  readonly metrics?: ControllerMetrics | undefined;
  /** Where per-call credential directories are created. Default: the OS temp dir. */
  readonly tmpDir?: string | undefined;
  readonly now?: () => number;
}

const DEFAULT_POLL_MS = 60_000;

const igsResource = (namespace: string) => ({
  apiVersion: API_VERSION,
  plural: Resources.ignitionSyncs,
  namespace,
});
const configMaps = (namespace: string) => ({ apiVersion: 'v1', plural: 'configmaps', namespace });

function failureOf(e: unknown): Failure {
  const err = toOperatorError(e, ApiReasons.RefResolutionFailed);
  return { reason: err.reason, kind: err.kind, message: err.message };
}

function profileStates(
  pods: readonly GatewayPod[],
  namespace: string,
  cache: Informer<SyncProfileObject>,
): Map<string, ProfileState> {
  const states = new Map<string, ProfileState>();
  for (const pod of pods) {
    const name = pod.profile;
    if (name === undefined || states.has(name)) continue;
    const obj = cache.get(`${namespace}/${name}`);
    if (obj === undefined) {
      states.set(name, { kind: 'missing' });
      continue;
    }
    const spec = SyncProfileSpec.safeParse(obj.spec);
    states.set(
      name,
      spec.success
        ? { kind: 'ok', spec: spec.data }
        : { kind: 'invalid', message: spec.error.issues[0]?.message ?? 'invalid' },
    );
  }
  return states;
}

/**
 * Features the API accepts but this controller does not implement yet. Releasing commits anyway would break
 * what the user asked for (an approval gate, verified signatures), so nothing new is released: the published
 * commit stays and the IgnitionSync is Stalled with `SpecInvalid` (the standalone runner refuses to start).
 */
function unsupportedFeature(spec: IgnitionSyncSpec): Failure | undefined {
  if (spec.approval?.required === true) {
    return {
      reason: ApiReasons.SpecInvalid,
      kind: 'stalling',
      message:
        'spec.approval.required is not implemented by this controller yet; no new commit is released (remove it to sync without approval)',
    };
  }
  if (spec.git.auth?.gpgKey !== undefined) {
    return {
      reason: ApiReasons.SpecInvalid,
      kind: 'stalling',
      message:
        'spec.git.auth.gpgKey is set, but commit signature verification is not implemented yet; no new commit is released (remove gpgKey to sync unverified commits)',
    };
  }
  return undefined;
}

/**
 * The IgnitionSync reconciler: finalizer, requested-ref cleanup, resolve the effective ref (one ls-remote
 * per polling interval), publish `<igs>.desired`, fold the gateway reports into `status`, Events. Pure
 * decisions live in the modules it calls; this is the I/O shell. Errors are thrown after the status was
 * written, so their kind decides the requeue (stalling: none, waiting: polling interval, else backoff).
 */
export function createIgnitionSyncReconciler(options: ReconcilerOptions): Reconciler {
  const { client, caches } = options;
  const now = options.now ?? Date.now;
  const resolutions = new ResolutionCache();

  const finalize = async (obj: IgnitionSyncObject, ctx: ReconcileContext): Promise<void> => {
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name;
    if (hasFinalizer(obj, IGNITION_SYNC_FINALIZER)) {
      // No garbage collector can be assumed: delete what we published explicitly, and only if it is ours.
      const path = objectPath({ ...configMaps(ns), name: desiredStateName(name) });
      try {
        const cm = await client.get<ConfigMapObject>(path, ctx.signal);
        const owner = getControllerOf(cm);
        if (owner !== undefined && owner.uid === obj.metadata.uid) {
          await client.request({
            method: 'DELETE',
            path,
            body: { preconditions: { uid: cm.metadata.uid } },
            signal: ctx.signal,
          });
          ctx.log.info({ configMap: desiredStateName(name) }, 'desired state deleted');
        }
      } catch (e: unknown) {
        if (!isNotFound(e)) throw e;
      }
      await updateFinalizer(client, igsResource(ns), obj, {
        finalizer: IGNITION_SYNC_FINALIZER,
        op: 'remove',
        signal: ctx.signal,
      });
    }
    resolutions.delete(`${ns}/${name}`);
    options.metrics?.forgetIgnitionSync(ns, name);
  };

  const writeStatus = (
    obj: IgnitionSyncObject,
    mutate: (status: IgnitionSyncStatus | undefined) => IgnitionSyncStatus,
    ctx: ReconcileContext,
  ) =>
    updateStatus<IgnitionSyncObject & { status?: IgnitionSyncStatus }, IgnitionSyncStatus>(
      client,
      { ...igsResource(obj.metadata.namespace ?? ''), name: obj.metadata.name },
      (status) => mutate(status),
      { signal: ctx.signal },
    );

  return async (key, ctx) => {
    const cached = caches.ignitionSyncs.get(key);
    if (cached === undefined) {
      resolutions.delete(key);
      const gone = splitObjectKey(key);
      options.metrics?.forgetIgnitionSync(gone.namespace ?? '', gone.name);
      return undefined;
    }
    const ns = cached.metadata.namespace ?? '';
    const name = cached.metadata.name;
    if (isBeingDeleted(cached)) {
      await finalize(cached, ctx);
      return undefined;
    }
    const generation = cached.metadata.generation ?? 0;
    const parsed = IgnitionSyncSpec.safeParse(cached.spec);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const failure: Failure = {
        reason: ApiReasons.SpecInvalid,
        kind: 'stalling',
        message: `spec.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
      };
      await writeStatus(
        cached,
        (status) =>
          computeStatus(
            status,
            {
              generation,
              paused: false,
              hostKeyVerificationDisabled: false,
              resolution: undefined,
              published: undefined,
              publishFailure: failure,
              gateways: status?.discoveredGateways ?? [],
            },
            ctx.now(),
          ),
        ctx,
      );
      throw new OperatorError(ApiReasons.SpecInvalid, failure.message, { kind: 'stalling' });
    }
    const spec = parsed.data;
    let obj = cached;
    if (!hasFinalizer(obj, IGNITION_SYNC_FINALIZER)) {
      obj = await updateFinalizer(client, igsResource(ns), obj, {
        finalizer: IGNITION_SYNC_FINALIZER,
        op: 'add',
        signal: ctx.signal,
      });
    }
    const cleanup = planRequestedRefCleanup(
      spec.git.ref,
      obj.metadata.annotations,
      obj.metadata.resourceVersion,
    );
    if (cleanup !== undefined) {
      obj = await client.request<IgnitionSyncObject>({
        method: 'PATCH',
        path: objectPath({ ...igsResource(ns), name }),
        body: cleanup,
        signal: ctx.signal,
      });
      ctx.log.info(
        { ref: spec.git.ref },
        'spec.git.ref caught up with the requested ref: annotations cleared',
      );
    }
    const followed = effectiveRef(spec.git.ref, obj.metadata.annotations);
    const pollMs = spec.polling.enabled
      ? (parseDurationMs(spec.polling.interval) ?? DEFAULT_POLL_MS)
      : undefined;
    const desiredCm = caches.configMaps.get(`${ns}/${desiredStateName(name)}`);
    const before = readDesiredState(desiredCm);

    // Resolve (or keep the published commit while paused, or while the spec asks for what is not built).
    const refusal = unsupportedFeature(spec);
    let resolution: Resolution;
    if (refusal !== undefined) {
      resolution =
        before === undefined
          ? { kind: 'failed', ref: followed.ref, failure: refusal }
          : { kind: 'kept', ref: before.ref, commit: before.commit };
    } else if (spec.paused && before !== undefined) {
      resolution = { kind: 'kept', ref: before.ref, commit: before.commit };
    } else {
      const inputs = {
        repo: spec.git.repo,
        ref: followed.ref,
        generation,
        requestedAt: obj.metadata.annotations?.[IgnitionSyncAnnotations.requestedAt],
      };
      const reused = resolutions.get(key, inputs, now(), pollMs);
      if (reused !== undefined) {
        resolution = reused;
      } else {
        try {
          const resolved = await withGitCredentials(
            { client, namespace: ns, git: spec.git, tmpDir: options.tmpDir, signal: ctx.signal },
            (auth) =>
              options.git.resolveRef({ repo: spec.git.repo, ref: followed.ref, auth, signal: ctx.signal }),
          );
          for (const warning of resolved.warnings)
            ctx.log.warn({ warning, ref: followed.ref }, 'git warning');
          resolution = { kind: 'resolved', ref: followed.ref, commit: resolved.commit };
        } catch (e: unknown) {
          resolution = { kind: 'failed', ref: followed.ref, failure: failureOf(e) };
        }
        resolutions.set(key, inputs, resolution, now());
      }
    }

    // Discover gateways and the profiles they name.
    const pods = gatewayPodsOf(caches.pods.list(), ns, name);
    const profiles = profileStates(pods, ns, caches.syncProfiles);

    // Publish: the new commit, or the one already published when resolving failed.
    const target =
      resolution.kind === 'failed'
        ? before === undefined
          ? undefined
          : { ref: before.ref, commit: before.commit }
        : { ref: resolution.ref, commit: resolution.commit };
    let published = before === undefined ? undefined : { ref: before.ref, commit: before.commit };
    let publishFailure: Failure | undefined = refusal;
    if (target !== undefined) {
      const okProfiles = new Map<string, SyncProfileSpec>();
      for (const [profileName, state] of profiles)
        if (state.kind === 'ok') okProfiles.set(profileName, state.spec);
      const desiredDoc = buildDesiredState({
        ignitionSync: name,
        spec,
        ref: target.ref,
        commit: target.commit,
        profiles: okProfiles,
        paused: spec.paused,
      });
      try {
        const owner = {
          apiVersion: API_VERSION,
          kind: Kinds.IgnitionSync,
          metadata: { name, namespace: ns, uid: obj.metadata.uid ?? '' },
        };
        const cmPath = objectPath({ ...configMaps(ns), name: desiredStateName(name) });
        const apply = async (existing: ConfigMapObject | undefined): Promise<void> => {
          const write = planDesiredStateWrite(owner, desiredDoc, existing);
          if (write.kind === 'create') {
            await client.request({
              method: 'POST',
              path: collectionPath(configMaps(ns)),
              body: write.body,
              signal: ctx.signal,
            });
          } else if (write.kind === 'update') {
            await client.request({ method: 'PUT', path: cmPath, body: write.body, signal: ctx.signal });
          }
        };
        try {
          await apply(desiredCm);
        } catch (e: unknown) {
          // The cache lagged behind our own last write (AlreadyExists, or a stale resourceVersion): re-read once.
          if (!isConflict(e)) throw e;
          await apply(await client.get<ConfigMapObject>(cmPath, ctx.signal));
        }
        published = target;
      } catch (e: unknown) {
        publishFailure = failureOf(e);
      }
    }

    const gateways = pods.map((pod) =>
      discoveredGateway(
        pod,
        readGatewayReport(caches.configMaps.get(`${ns}/${gatewayReportName(pod.podName)}`), pod),
        pod.profile === undefined ? undefined : profiles.get(pod.profile),
        published?.commit,
      ),
    );
    const observation: Observation = {
      generation,
      paused: spec.paused,
      hostKeyVerificationDisabled: isHostKeyVerificationDisabled(spec.git),
      resolution,
      published,
      publishFailure,
      gateways,
    };
    const prevStatus = obj.status;
    const stored = await writeStatus(obj, (status) => computeStatus(status, observation, ctx.now()), ctx);
    options.metrics?.setGateways(
      ns,
      name,
      gateways,
      published === undefined
        ? undefined
        : { commit: published.commit, isNewlyPublished: before?.commit !== published.commit },
    );

    // Events (best effort; identical ones are aggregated by the recorder).
    if (published !== undefined && before?.commit !== published.commit) {
      void options.events.event(
        stored,
        'Normal',
        ControllerReasons.CommitPublished,
        `published ${published.ref} at ${published.commit}`,
      );
      ctx.log.info({ ref: published.ref, commit: published.commit }, 'desired commit published');
    }
    const wasAllSynced =
      prevStatus?.resolvedCommit === published?.commit &&
      prevStatus?.conditions?.some(
        (c) => c.type === ConditionTypes.AllGatewaysSynced && c.status === 'True',
      ) === true;
    const isAllSynced =
      stored.status?.conditions?.some(
        (c) => c.type === ConditionTypes.AllGatewaysSynced && c.status === 'True',
      ) === true;
    if (isAllSynced && !wasAllSynced && published !== undefined) {
      void options.events.event(
        stored,
        'Normal',
        ApiReasons.AllSynced,
        `all ${gateways.length} gateways synced to ${published.commit}`,
      );
    }
    if (resolution.kind === 'failed') {
      void options.events.event(
        stored,
        'Warning',
        resolution.failure.reason,
        `resolving ${resolution.ref} failed: ${resolution.failure.message}`,
      );
    }

    const failure = publishFailure ?? (resolution.kind === 'failed' ? resolution.failure : undefined);
    if (failure !== undefined) {
      throw new OperatorError(
        failure.reason,
        failure.message,
        failure.kind === 'waiting'
          ? { kind: 'waiting', details: { requeueAfterMs: pollMs ?? DEFAULT_POLL_MS } }
          : { kind: failure.kind },
      );
    }
    return pollMs === undefined || spec.paused ? undefined : { requeueAfterMs: pollMs };
  };
}
