import { isDeepStrictEqual } from 'node:util';
import { Labels, ObjectRoleLabel, ObjectRoles, PodAnnotations } from '../api/index.ts';
import { followedIgnitionSync, gatewayPodOf } from './gateway-discovery.ts';
import type { ConfigMapObject, IgnitionSyncObject, PodObject, SyncProfileObject } from './objects.ts';

/**
 * Pure: does an IgnitionSync update need a reconcile? Spec (generation), annotations (webhook requests),
 * deletion and finalizers do; a status write does not (it would re-trigger itself forever).
 */
export function ignitionSyncNeedsReconcile(oldObj: IgnitionSyncObject, newObj: IgnitionSyncObject): boolean {
  const a = oldObj.metadata;
  const b = newObj.metadata;
  return (
    a.generation !== b.generation ||
    !isDeepStrictEqual(a.annotations ?? {}, b.annotations ?? {}) ||
    (a.deletionTimestamp === undefined) !== (b.deletionTimestamp === undefined) ||
    !isDeepStrictEqual(a.finalizers ?? [], b.finalizers ?? [])
  );
}

/** The IgnitionSync keys a pod event concerns: what the pod follows, before and after. */
export function podEventKeys(oldPod: PodObject | undefined, newPod: PodObject | undefined): string[] {
  const before = oldPod === undefined ? undefined : followedIgnitionSync(oldPod);
  const after = newPod === undefined ? undefined : followedIgnitionSync(newPod);
  if (oldPod !== undefined && newPod !== undefined && before === after) {
    // Only what discovery reads matters; status churn (phase, conditions) of a gateway pod does not.
    const same =
      oldPod.metadata.uid === newPod.metadata.uid &&
      isDeepStrictEqual(gatewayPodOf(oldPod), gatewayPodOf(newPod));
    return same || after === undefined ? [] : [after];
  }
  return [...new Set([before, after].filter((k): k is string => k !== undefined))];
}

/** The IgnitionSync key of a desired-state or gateway-report ConfigMap (label `cr-name`). */
export function configMapEventKey(cm: ConfigMapObject): string | undefined {
  const role = cm.metadata.labels?.[ObjectRoleLabel];
  const crName = cm.metadata.labels?.[Labels.crName];
  const ns = cm.metadata.namespace;
  if (role !== ObjectRoles.desiredState && role !== ObjectRoles.gatewayReport) return undefined;
  if (crName === undefined || crName === '' || ns === undefined) return undefined;
  return `${ns}/${crName}`;
}

/** Every IgnitionSync of the profile's namespace that a gateway pod follows while naming this profile. */
export function profileEventKeys(profile: SyncProfileObject, pods: Iterable<PodObject>): string[] {
  const ns = profile.metadata.namespace;
  const keys = new Set<string>();
  for (const pod of pods) {
    if (pod.metadata.namespace !== ns) continue;
    if (pod.metadata.annotations?.[PodAnnotations.syncProfile] !== profile.metadata.name) continue;
    const key = followedIgnitionSync(pod);
    if (key !== undefined) keys.add(key);
  }
  return [...keys].sort();
}
