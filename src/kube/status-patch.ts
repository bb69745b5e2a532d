import { isDeepStrictEqual } from 'node:util';
import type { KubernetesObject } from '@kubernetes/client-node';
import { OperatorError } from '../errors.ts';
import { KubeReasons } from '../reasons/index.ts';
import type { KubeClient, ResourceRef } from './kube-client.ts';
import { isConflict, objectPath } from './kube-client.ts';

export interface UpdateStatusOptions {
  /** Attempts in total when the apiserver answers 409 Conflict. Default 5. */
  readonly maxAttempts?: number;
  readonly signal?: AbortSignal;
}

/**
 * Read-modify-write of the `/status` subresource that survives conflicts: GET the object, apply `mutate` to a
 * copy of its `status`, PUT `/status` with the read resourceVersion; on 409 re-GET and re-apply, up to
 * `maxAttempts`. `mutate` must be a pure function of the current status (it runs once per attempt) and may
 * return `undefined` to leave the status alone. Returns the stored object (unchanged when nothing was written).
 */
export async function updateStatus<T extends KubernetesObject & { status?: S }, S = unknown>(
  client: KubeClient,
  ref: ResourceRef & { readonly name: string },
  mutate: (status: S | undefined, obj: T) => S | undefined,
  options: UpdateStatusOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 5;
  const path = objectPath(ref);
  const signal = options.signal;
  for (let attempt = 1; ; attempt++) {
    const current = await client.request<T>(
      signal === undefined ? { method: 'GET', path } : { method: 'GET', path, signal },
    );
    const next = mutate(structuredClone(current.status), current);
    if (next === undefined || isDeepStrictEqual(next, current.status)) return current;
    try {
      const req = { method: 'PUT' as const, path: `${path}/status`, body: { ...current, status: next } };
      return await client.request<T>(signal === undefined ? req : { ...req, signal });
    } catch (e: unknown) {
      if (!isConflict(e)) throw e;
      if (attempt >= maxAttempts) {
        throw new OperatorError(
          KubeReasons.StatusPatchFailed,
          `update status of ${ref.name} failed: still conflicting after ${maxAttempts} attempts`,
          {
            cause: e,
          },
        );
      }
    }
  }
}
