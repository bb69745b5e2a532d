import type { KubernetesObject } from '@kubernetes/client-node';
import { OperatorError, toOperatorError } from '../errors.ts';
import { KubeReasons } from '../reasons/index.ts';
import type { KubeClient, ResourceRef } from './kube-client.ts';
import { objectPath } from './kube-client.ts';

export function hasFinalizer(obj: Pick<KubernetesObject, 'metadata'>, finalizer: string): boolean {
  return obj.metadata?.finalizers?.includes(finalizer) ?? false;
}

/** True when the object is being deleted (deletionTimestamp set). */
export function isBeingDeleted(obj: Pick<KubernetesObject, 'metadata'>): boolean {
  return obj.metadata?.deletionTimestamp !== undefined && obj.metadata.deletionTimestamp !== null;
}

/**
 * Pure: the merge patch that adds or removes `finalizer`, carrying `metadata.resourceVersion` as a precondition
 * (the apiserver answers 409 when the object changed since it was read). `undefined` when nothing changes.
 */
export function planFinalizerPatch(
  obj: Pick<KubernetesObject, 'metadata'>,
  finalizer: string,
  op: 'add' | 'remove',
): { metadata: { finalizers: string[]; resourceVersion: string } } | undefined {
  const current = obj.metadata?.finalizers ?? [];
  const has = current.includes(finalizer);
  if ((op === 'add' && has) || (op === 'remove' && !has)) return undefined;
  const rv = obj.metadata?.resourceVersion;
  if (rv === undefined) throw new TypeError('cannot patch finalizers: object has no resourceVersion');
  const finalizers = op === 'add' ? [...current, finalizer] : current.filter((f) => f !== finalizer);
  return { metadata: { finalizers, resourceVersion: rv } };
}

/**
 * Adds or removes a finalizer with a merge patch guarded by resourceVersion. Returns the patched object, or the
 * input when nothing had to change. A 409 surfaces as a transient `Conflict` error: the work queue retries with
 * backoff and the next reconcile re-reads the object.
 */
export async function updateFinalizer<T extends KubernetesObject>(
  client: KubeClient,
  resource: ResourceRef,
  obj: T,
  options: { finalizer: string; op: 'add' | 'remove'; signal?: AbortSignal },
): Promise<T> {
  const patch = planFinalizerPatch(obj, options.finalizer, options.op);
  if (patch === undefined) return obj;
  const name = obj.metadata?.name;
  if (name === undefined) throw new TypeError('cannot patch finalizers: object has no name');
  const ns = obj.metadata?.namespace;
  const ref = ns === undefined ? { ...resource, name } : { ...resource, namespace: ns, name };
  try {
    const req = { method: 'PATCH' as const, path: objectPath(ref), body: patch };
    return await client.request<T>(options.signal === undefined ? req : { ...req, signal: options.signal });
  } catch (e: unknown) {
    const err = toOperatorError(e, KubeReasons.FinalizerPatchFailed);
    throw new OperatorError(
      err.reason,
      `${options.op} finalizer ${options.finalizer} on ${ref.name} failed: ${err.message}`,
      { cause: e },
    );
  }
}
