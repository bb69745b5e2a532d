import type { KubernetesObject, V1OwnerReference } from '@kubernetes/client-node';

/** An owner must have these fields filled in (as read back from the apiserver). */
export interface OwnerObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly uid: string; readonly namespace?: string };
}

/** The controller owner reference for `owner` (`controller: true`, `blockOwnerDeletion: true`). */
export function controllerReference(owner: OwnerObject): V1OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The owner reference marked `controller: true`, if any. */
export function getControllerOf(obj: Pick<KubernetesObject, 'metadata'>): V1OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/**
 * Pure `controllerutil.SetControllerReference`: returns the dependent's new ownerReferences with `owner` as its
 * controller. Throws a TypeError when another object already controls it, or when a namespaced owner lives in
 * another namespace than the dependent (the garbage collector would treat such a reference as absent).
 */
export function withControllerReference(
  dependent: Pick<KubernetesObject, 'metadata'>,
  owner: OwnerObject,
): V1OwnerReference[] {
  const ownerNs = owner.metadata.namespace;
  const depNs = dependent.metadata?.namespace;
  if (ownerNs !== undefined && ownerNs !== '' && ownerNs !== depNs) {
    throw new TypeError(
      `cannot set owner reference: owner ${ownerNs}/${owner.metadata.name} is in another namespace than ${depNs ?? '(cluster)'}`,
    );
  }
  const ref = controllerReference(owner);
  const existing = getControllerOf(dependent);
  if (existing !== undefined && existing.uid !== ref.uid) {
    throw new TypeError(
      `cannot set owner reference: already controlled by ${existing.kind}/${existing.name}`,
    );
  }
  const others = (dependent.metadata?.ownerReferences ?? []).filter((r) => r.uid !== ref.uid);
  return [...others, ref];
}

/** Queue key of the controlling owner when it is of `kind` in `apiGroup` (maps an owned object's event to its owner). */
export function controllerOwnerKey(
  obj: Pick<KubernetesObject, 'metadata'>,
  match: { apiGroup: string; kind: string },
): string | undefined {
  const ref = getControllerOf(obj);
  if (ref === undefined || ref.kind !== match.kind) return undefined;
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.slice(0, ref.apiVersion.indexOf('/')) : '';
  if (group !== match.apiGroup) return undefined;
  const ns = obj.metadata?.namespace;
  return ns === undefined || ns === '' ? ref.name : `${ns}/${ref.name}`;
}
