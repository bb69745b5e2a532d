import { PodAnnotations, RelativePath } from '../../api/index.ts';
import type { Pod } from './pod.ts';

/** Which files the gateway takes: a SyncProfile, or 2-tier mode with a repository directory. */
export type GatewayTarget = { readonly syncProfile: string } | { readonly servicePath: string };

/** What an annotated pod asks for. */
export interface InjectionRequest {
  readonly crName: string;
  readonly target: GatewayTarget;
  /** Annotation `gateway-name`, else label `app.kubernetes.io/name`; undefined → the agent uses the pod name. */
  readonly gatewayName: string | undefined;
  /** Annotation `data-volume`: the volume holding the gateway data directory. */
  readonly dataVolume: string | undefined;
}

export const GATEWAY_NAME_LABEL = 'app.kubernetes.io/name';

/** True when the pod asks for the agent (`ignition-sync.io/inject: "true"`, exactly). */
export function wantsInjection(pod: Pod): boolean {
  return pod.metadata?.annotations?.[PodAnnotations.inject] === 'true';
}

const nonEmpty = (v: string | undefined): string | undefined =>
  v === undefined || v.trim() === '' ? undefined : v.trim();

/** Reads the injection annotations of a pod that wants injection; a string is the problem with them. */
export function readInjectionRequest(pod: Pod): InjectionRequest | string {
  const a = pod.metadata?.annotations ?? {};
  const crName = nonEmpty(a[PodAnnotations.crName]);
  if (crName === undefined)
    return `annotation ${PodAnnotations.crName} is missing: name the IgnitionSync to follow`;
  const syncProfile = nonEmpty(a[PodAnnotations.syncProfile]);
  const servicePath = nonEmpty(a[PodAnnotations.servicePath]);
  if ((syncProfile === undefined) === (servicePath === undefined))
    return `set exactly one of the annotations ${PodAnnotations.syncProfile} and ${PodAnnotations.servicePath}`;
  if (servicePath !== undefined) {
    const parsed = RelativePath.safeParse(servicePath);
    if (!parsed.success)
      return `annotation ${PodAnnotations.servicePath}: ${parsed.error.issues[0]?.message ?? 'invalid path'}`;
  }
  return {
    crName,
    target: syncProfile !== undefined ? { syncProfile } : { servicePath: servicePath as string },
    gatewayName:
      nonEmpty(a[PodAnnotations.gatewayName]) ?? nonEmpty(pod.metadata?.labels?.[GATEWAY_NAME_LABEL]),
    dataVolume: nonEmpty(a[PodAnnotations.dataVolume]),
  };
}
