import type { KubernetesObject, V1OwnerReference } from '@kubernetes/client-node';
import { IgnitionSync, type IgnitionSyncStatus } from '../api/index.ts';

/** Object metadata as the informers deliver it (only what the controller reads). */
export interface Metadata {
  readonly name: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly ownerReferences?: V1OwnerReference[];
  readonly finalizers?: string[];
  readonly deletionTimestamp?: Date;
}

export interface PodObject extends KubernetesObject {
  readonly metadata: Metadata;
}

export interface ConfigMapObject extends KubernetesObject {
  readonly metadata: Metadata;
  readonly data?: Record<string, string>;
}

/** An IgnitionSync as stored: the spec is validated by the reconciler (`IgnitionSyncSpec`), never trusted. */
export interface IgnitionSyncObject extends KubernetesObject {
  readonly metadata: Metadata;
  readonly spec?: unknown;
  readonly status?: IgnitionSyncStatus;
}

export interface SyncProfileObject extends KubernetesObject {
  readonly metadata: Metadata;
  readonly spec?: unknown;
}

const parsed = new WeakMap<object, IgnitionSync | null>();

/**
 * The typed IgnitionSync (defaults applied) of a cached object, or undefined when it does not validate.
 * Memoised per cached object: the informer replaces the object on every change.
 */
export function parseIgnitionSync(obj: IgnitionSyncObject): IgnitionSync | undefined {
  const hit = parsed.get(obj);
  if (hit !== undefined) return hit ?? undefined;
  const result = IgnitionSync.safeParse(obj);
  parsed.set(obj, result.success ? result.data : null);
  return result.success ? result.data : undefined;
}
