import { IgnitionSyncAnnotations } from '../api/index.ts';

/** Annotations of an IgnitionSync (undefined-safe). */
export type Annotations = Readonly<Record<string, string>> | undefined;

/** Which ref the controller follows, and why. */
export interface EffectiveRef {
  readonly ref: string;
  /** `requested`: a webhook delivery asked for it (annotation); `spec`: `spec.git.ref`. */
  readonly source: 'requested' | 'spec';
}

/** `refs/tags/v1.2.3` → `1.2.3`, `refs/heads/main` → `main`, `v1.2.3` → `1.2.3` (a `v` before a digit only). */
function normalizeRef(ref: string): string {
  const short = ref.replace(/^refs\/(tags|heads)\//, '');
  return /^v\d/.test(short) ? short.slice(1) : short;
}

/**
 * True when two refs name the same thing as far as "has spec caught up with the request" goes: the full
 * `refs/tags/` / `refs/heads/` prefix is ignored, and so is a `v` before a version number (`v1.2.3` = `1.2.3`).
 */
export function sameRef(a: string, b: string): boolean {
  return a === b || normalizeRef(a) === normalizeRef(b);
}

function requestedRefOf(annotations: Annotations): string | undefined {
  const value = annotations?.[IgnitionSyncAnnotations.requestedRef]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The ref to resolve: the webhook's `requested-ref` annotation when set and not (yet) equal to
 * `spec.git.ref`, else `spec.git.ref`.
 */
export function effectiveRef(specRef: string, annotations: Annotations): EffectiveRef {
  const requested = requestedRefOf(annotations);
  if (requested !== undefined && !sameRef(requested, specRef)) return { ref: requested, source: 'requested' };
  return { ref: specRef, source: 'spec' };
}

/**
 * The merge patch that removes the requested-ref annotations once `spec.git.ref` caught up with the request
 * (so nobody is left silently pinned to an old request), guarded by `resourceVersion` so a request written
 * in between is never lost; undefined when there is nothing to clear.
 */
export function planRequestedRefCleanup(
  specRef: string,
  annotations: Annotations,
  resourceVersion: string | undefined,
): { metadata: { resourceVersion?: string; annotations: Record<string, null> } } | undefined {
  const requested = requestedRefOf(annotations);
  if (requested === undefined || !sameRef(requested, specRef)) return undefined;
  const names = [
    IgnitionSyncAnnotations.requestedRef,
    IgnitionSyncAnnotations.requestedAt,
    IgnitionSyncAnnotations.requestedBy,
  ];
  const remove: Record<string, null> = {};
  for (const name of names) if (annotations?.[name] !== undefined) remove[name] = null;
  return {
    metadata: { ...(resourceVersion === undefined ? {} : { resourceVersion }), annotations: remove },
  };
}
