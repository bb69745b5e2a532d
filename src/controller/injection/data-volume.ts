import { AgentDefaults, PodAnnotations } from '../../api/index.ts';
import type { Container, Pod, VolumeMount } from './pod.ts';

/** Where the official Ignition image (and its Helm chart) keeps the gateway data directory. */
export const IGNITION_DATA_PATH = AgentDefaults.dataDir;

/** The gateway's data volume as the agent mounts it: the same volume and sub-path as the gateway sees. */
export interface DataMount {
  readonly volumeName: string;
  readonly subPath?: string;
  readonly subPathExpr?: string;
  /** The container that mounts it (the gateway), when one does. */
  readonly gateway: Container | undefined;
}

const normalize = (p: string): string => (p.length > 1 ? p.replace(/\/+$/, '') : p);

function dataMountOf(container: Container, mount: VolumeMount): DataMount {
  return {
    volumeName: mount.name,
    ...(mount.subPath === undefined || mount.subPath === '' ? {} : { subPath: mount.subPath }),
    ...(mount.subPathExpr === undefined || mount.subPathExpr === ''
      ? {}
      : { subPathExpr: mount.subPathExpr }),
    gateway: container,
  };
}

/**
 * Finds the gateway data volume: the one named by the `data-volume` annotation (mounted like the first
 * container that mounts it, else whole), otherwise the volume the first (app) container mounts at
 * `/usr/local/bin/ignition/data`. A string is why none was found.
 */
export function findDataMount(pod: Pod, explicitVolume: string | undefined): DataMount | string {
  const containers = pod.spec?.containers ?? [];
  if (explicitVolume !== undefined) {
    if (!(pod.spec?.volumes ?? []).some((v) => v.name === explicitVolume))
      return `annotation ${PodAnnotations.dataVolume} names volume ${JSON.stringify(explicitVolume)}, which the pod does not have`;
    for (const c of containers) {
      const mount = (c.volumeMounts ?? []).find((m) => m.name === explicitVolume);
      if (mount !== undefined) return dataMountOf(c, mount);
    }
    return { volumeName: explicitVolume, gateway: undefined };
  }
  for (const c of containers) {
    const mount = (c.volumeMounts ?? []).find((m) => normalize(m.mountPath) === IGNITION_DATA_PATH);
    if (mount !== undefined) return dataMountOf(c, mount);
  }
  return `no container mounts a volume at ${IGNITION_DATA_PATH} (the Ignition data directory); name the data volume with the annotation ${PodAnnotations.dataVolume}`;
}
