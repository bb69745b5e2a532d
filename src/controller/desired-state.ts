import { isDeepStrictEqual } from 'node:util';
import {
  DESIRED_STATE_KEY,
  DesiredState,
  desiredStateName,
  type IgnitionSyncSpec,
  Labels,
  MANAGED_BY,
  ObjectRoleLabel,
  ObjectRoles,
  type PublishedGitAuth,
  type SyncProfileSpec,
} from '../api/index.ts';
import { OperatorError } from '../errors.ts';
import { getControllerOf, type OwnerObject, withControllerReference } from '../kube/index.ts';
import { ControllerReasons } from '../reasons/index.ts';
import type { ConfigMapObject } from './objects.ts';

/** The auth the agents need to fetch: which Secrets, never their values. */
export function publishedAuthOf(git: IgnitionSyncSpec['git']): PublishedGitAuth {
  const auth = git.auth;
  if (auth?.sshKey !== undefined) {
    return {
      kind: 'ssh',
      secretRef: auth.sshKey.secretRef,
      ...(auth.sshKey.knownHostsSecretRef === undefined
        ? {}
        : { knownHostsSecretRef: auth.sshKey.knownHostsSecretRef }),
    };
  }
  if (auth?.token !== undefined) {
    return {
      kind: 'token',
      secretRef: auth.token.secretRef,
      ...(auth.token.username === undefined ? {} : { username: auth.token.username }),
    };
  }
  return { kind: 'none' };
}

export interface DesiredStateInput {
  readonly ignitionSync: string;
  readonly spec: IgnitionSyncSpec;
  readonly ref: string;
  readonly commit: string;
  readonly profiles: ReadonlyMap<string, SyncProfileSpec>;
  readonly paused: boolean;
}

/** Pure: what the agents of one IgnitionSync are told. No timestamps, profiles in name order. */
export function buildDesiredState(input: DesiredStateInput): DesiredState {
  const profiles: Record<string, SyncProfileSpec> = {};
  for (const name of [...input.profiles.keys()].sort()) {
    const spec = input.profiles.get(name);
    if (spec !== undefined) profiles[name] = spec;
  }
  const gateway = input.spec.gateway;
  return {
    version: 1,
    ignitionSync: input.ignitionSync,
    repo: input.spec.git.repo,
    ref: input.ref,
    commit: input.commit,
    auth: publishedAuthOf(input.spec.git),
    excludePatterns: [...input.spec.excludePatterns],
    gateway: {
      port: gateway.port,
      tls: gateway.tls,
      ...(gateway.apiKeySecretRef === undefined ? {} : { apiKeySecretRef: gateway.apiKeySecretRef }),
    },
    profiles,
    paused: input.paused,
  };
}

/** The ConfigMap body that carries `desired`, owned by the IgnitionSync. */
export function desiredStateConfigMap(
  owner: OwnerObject & { readonly metadata: { readonly namespace: string } },
  desired: DesiredState,
  existing: ConfigMapObject | undefined,
): ConfigMapObject {
  const metadata = {
    name: desiredStateName(owner.metadata.name),
    namespace: owner.metadata.namespace,
    labels: {
      ...existing?.metadata.labels,
      [Labels.crName]: owner.metadata.name,
      [ObjectRoleLabel]: ObjectRoles.desiredState,
      [Labels.managedBy]: MANAGED_BY,
    },
  };
  const ownerReferences = withControllerReference(
    {
      metadata: {
        ...metadata,
        ...(existing?.metadata.ownerReferences === undefined
          ? {}
          : { ownerReferences: [...existing.metadata.ownerReferences] }),
      },
    },
    owner,
  );
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      ...metadata,
      ownerReferences,
      ...(existing?.metadata.resourceVersion === undefined
        ? {}
        : { resourceVersion: existing.metadata.resourceVersion }),
    },
    data: { [DESIRED_STATE_KEY]: `${JSON.stringify(desired, null, 2)}\n` },
  };
}

/** The desired state a ConfigMap carries, or undefined when it is missing or not valid. */
export function readDesiredState(cm: ConfigMapObject | undefined): DesiredState | undefined {
  const text = cm?.data?.[DESIRED_STATE_KEY];
  if (text === undefined) return undefined;
  try {
    const result = DesiredState.safeParse(JSON.parse(text));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

export type DesiredStateWrite =
  | { readonly kind: 'none' }
  | { readonly kind: 'create'; readonly body: ConfigMapObject }
  | { readonly kind: 'update'; readonly body: ConfigMapObject };

/**
 * Pure: create when missing, update only when the content, labels or owner differ (so an unchanged
 * reconcile writes nothing). A ConfigMap of that name controlled by another object is never taken over.
 */
export function planDesiredStateWrite(
  owner: OwnerObject & { readonly metadata: { readonly namespace: string } },
  desired: DesiredState,
  existing: ConfigMapObject | undefined,
): DesiredStateWrite {
  const controller = existing === undefined ? undefined : getControllerOf(existing);
  if (controller !== undefined && controller.uid !== owner.metadata.uid) {
    throw new OperatorError(
      ControllerReasons.DesiredStateConflict,
      `publish desired state failed: ConfigMap ${desiredStateName(owner.metadata.name)} is controlled by ${controller.kind}/${controller.name}`,
    );
  }
  const body = desiredStateConfigMap(owner, desired, existing);
  if (existing === undefined) return { kind: 'create', body };
  const same =
    isDeepStrictEqual(existing.data, body.data) &&
    isDeepStrictEqual(existing.metadata.labels, body.metadata.labels) &&
    isDeepStrictEqual(existing.metadata.ownerReferences, body.metadata.ownerReferences);
  return same ? { kind: 'none' } : { kind: 'update', body };
}
