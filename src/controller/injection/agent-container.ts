import { AgentDefaults, AgentEnv, Defaults, type IgnitionSync } from '../../api/index.ts';
import { agentImage } from './agent-image.ts';
import {
  API_ACCESS_PATH,
  API_ACCESS_VOLUME,
  secretMountPath,
  secretVolumeName,
  WORK_VOLUME,
} from './agent-volumes.ts';
import type { DataMount } from './data-volume.ts';
import type { Container, Pod } from './pod.ts';
import type { InjectionRequest } from './pod-annotations.ts';

/** Requests fit one git checkout and the engine; no CPU limit (throttling would only slow a sync down). */
export const DEFAULT_AGENT_RESOURCES = {
  requests: { cpu: '50m', memory: '128Mi' },
  limits: { memory: '512Mi' },
} as const;

/** The Ignition image's `ignition` user: the agent runs as it when the pod would otherwise make it root. */
export const IGNITION_UID = 2003;

const fieldEnv = (name: string, fieldPath: string) => ({
  name,
  valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } },
});

/**
 * The agent writes files the gateway reads, so it runs as the gateway's user: the gateway container's (or the
 * pod's) `runAsUser`/`runAsGroup`. A root gateway (uid 0) cannot be copied — with `runAsNonRoot` the kubelet
 * would refuse the agent, and a native sidecar that cannot start holds the gateway back — so the agent then
 * runs as Ignition's uid 2003. Unset everywhere: the image's (numeric, non-root) user.
 */
function identity(pod: Pod, gateway: Container | undefined): { runAsUser?: number; runAsGroup?: number } {
  const uid = gateway?.securityContext?.runAsUser ?? pod.spec?.securityContext?.runAsUser;
  const gid = gateway?.securityContext?.runAsGroup ?? pod.spec?.securityContext?.runAsGroup;
  return {
    ...(uid === undefined ? {} : { runAsUser: uid > 0 ? uid : IGNITION_UID }),
    ...(gid === undefined ? {} : { runAsGroup: gid }),
  };
}

export interface AgentContainerInput {
  readonly pod: Pod;
  readonly request: InjectionRequest;
  readonly ignitionSync: IgnitionSync;
  readonly dataMount: DataMount;
  readonly secretNames: readonly string[];
  readonly defaultImage: string;
}

/**
 * The startup probe gates the gateway container (native sidecar semantics: the kubelet starts the next
 * container only once a restartable init container's startup probe passed) on the agent's `/readyz`, which
 * opens once the initial sync is done or the agent decided the gateway may start (see src/agent/README.md).
 * 2 s apart, up to 30 minutes (a first fetch of a large repository); past that the kubelet restarts the
 * agent, which tries again. No readiness or liveness probe: the agent must never take a running gateway out
 * of its Service or restart it.
 */
export const AGENT_STARTUP_PROBE = {
  httpGet: { path: '/readyz', port: AgentDefaults.probePortName, scheme: 'HTTP' },
  periodSeconds: 2,
  timeoutSeconds: 2,
  failureThreshold: 900,
} as const;

/** The native sidecar: an init container with `restartPolicy: Always` running `ignition-sync agent`. */
export function agentContainer(input: AgentContainerInput): Container {
  const { request, ignitionSync: igs, dataMount } = input;
  const target =
    'syncProfile' in request.target
      ? { name: AgentEnv.syncProfile, value: request.target.syncProfile }
      : { name: AgentEnv.servicePath, value: request.target.servicePath };
  return {
    name: AgentDefaults.containerName,
    image: agentImage(igs.spec.agent?.image, input.defaultImage),
    imagePullPolicy: igs.spec.agent?.image?.pullPolicy ?? Defaults.imagePullPolicy,
    args: ['agent'],
    restartPolicy: 'Always',
    env: [
      fieldEnv(AgentEnv.podName, 'metadata.name'),
      fieldEnv(AgentEnv.podNamespace, 'metadata.namespace'),
      fieldEnv(AgentEnv.podUid, 'metadata.uid'),
      { name: AgentEnv.crName, value: request.crName },
      target,
      ...(request.gatewayName === undefined
        ? []
        : [{ name: AgentEnv.gatewayName, value: request.gatewayName }]),
      { name: AgentEnv.dataDir, value: AgentDefaults.dataDir },
      { name: AgentEnv.secretsDir, value: AgentDefaults.secretsDir },
      { name: AgentEnv.workDir, value: AgentDefaults.workDir },
      { name: AgentEnv.probeListen, value: `:${AgentDefaults.probePort}` },
    ],
    ports: [{ name: AgentDefaults.probePortName, containerPort: AgentDefaults.probePort, protocol: 'TCP' }],
    startupProbe: { ...AGENT_STARTUP_PROBE, httpGet: { ...AGENT_STARTUP_PROBE.httpGet } },
    resources: (igs.spec.agent?.resources ?? DEFAULT_AGENT_RESOURCES) as NonNullable<Container['resources']>,
    securityContext: {
      runAsNonRoot: true,
      ...identity(input.pod, dataMount.gateway),
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: [
      {
        name: dataMount.volumeName,
        mountPath: AgentDefaults.dataDir,
        ...(dataMount.subPath === undefined ? {} : { subPath: dataMount.subPath }),
        ...(dataMount.subPathExpr === undefined ? {} : { subPathExpr: dataMount.subPathExpr }),
      },
      { name: WORK_VOLUME, mountPath: AgentDefaults.workDir },
      // readOnlyRootFilesystem: node and git still need a writable /tmp.
      { name: WORK_VOLUME, mountPath: '/tmp', subPath: 'tmp' },
      ...input.secretNames.map((name) => ({
        name: secretVolumeName(name),
        mountPath: secretMountPath(name),
        readOnly: true,
      })),
      { name: API_ACCESS_VOLUME, mountPath: API_ACCESS_PATH, readOnly: true },
    ],
  };
}
