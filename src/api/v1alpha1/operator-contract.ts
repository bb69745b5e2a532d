import { z } from 'zod';
import { SecretKeyRef } from './common.ts';
import { GatewaySyncStatuses } from './ignition-sync-status.ts';
import { SyncProfileSpec } from './sync-profile.ts';

/**
 * The contract between the controller, the admission webhook and the agents (docs/architecture.md, data flow):
 *
 * - The controller publishes one **desired state** per IgnitionSync: a ConfigMap `<ignitionsync>.desired` in the
 *   IgnitionSync's namespace, owned by it, key `desired.json` (no timestamps: an owned object that changes by
 *   itself would re-trigger the reconcile).
 * - Every agent watches that ConfigMap, syncs its gateway to `commit`, and writes only its own **gateway
 *   report**: a ConfigMap `<pod>.sync-status` in the pod's namespace, owned by the Pod (garbage-collected
 *   with it), labelled with the IgnitionSync name, key `status.json`. Agents never share a writable object,
 *   so five replicas reporting at once lose nothing.
 * - The admission webhook injects the agent with the environment `AgentEnv` names.
 */

/** ConfigMap the controller publishes for an IgnitionSync. */
export function desiredStateName(ignitionSync: string): string {
  return `${ignitionSync}.desired`;
}

/** ConfigMap an agent writes about its own pod. */
export function gatewayReportName(podName: string): string {
  return `${podName}.sync-status`;
}

export const DESIRED_STATE_KEY = 'desired.json';
export const GATEWAY_REPORT_KEY = 'status.json';

/** Label on both ConfigMaps: which kind of operator object it is. */
export const ObjectRoleLabel = 'ignition-sync.io/role';
export const ObjectRoles = { desiredState: 'desired-state', gatewayReport: 'gateway-report' } as const;

const Sha = z.string().regex(/^[0-9a-f]{40}$/, 'must be a full 40-hex commit id');

export const PublishedGitAuth = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({
    kind: z.literal('token'),
    secretRef: SecretKeyRef,
    username: z.string().max(256).optional(),
  }),
  z.strictObject({
    kind: z.literal('ssh'),
    secretRef: SecretKeyRef,
    /** Absent: host keys are not verified (the IgnitionSync says so in a condition). */
    knownHostsSecretRef: SecretKeyRef.optional(),
  }),
]);
export type PublishedGitAuth = z.output<typeof PublishedGitAuth>;

/** What the controller publishes for the agents of one IgnitionSync. */
export const DesiredState = z.strictObject({
  version: z.literal(1),
  ignitionSync: z.string().min(1).max(253),
  repo: z.string().min(1).max(2048),
  /** The effective ref (a webhook's requested ref, else `spec.git.ref`) and the commit it resolved to. */
  ref: z.string().min(1).max(1024),
  commit: Sha,
  auth: PublishedGitAuth,
  /** The IgnitionSync's `excludePatterns` (each profile adds its own). */
  excludePatterns: z.array(z.string()).max(256),
  /** How the agent reaches the gateway in its pod. */
  gateway: z.strictObject({
    port: z.number().int().min(1).max(65535),
    tls: z.boolean(),
    apiKeySecretRef: SecretKeyRef.optional(),
    /** `spec.gateway.caSecretRef`: the PEM CA the agent verifies the gateway's certificate with. */
    caSecretRef: SecretKeyRef.optional(),
    /** `spec.gateway.insecureSkipVerify` (absent = false). */
    insecureSkipVerify: z.boolean().optional(),
  }),
  /** Every SyncProfile of the namespace that a discovered pod names, defaults applied. */
  profiles: z.record(z.string(), SyncProfileSpec),
  /** `spec.paused`: agents keep their gateway's current state. */
  paused: z.boolean(),
});
export type DesiredState = z.output<typeof DesiredState>;

/** What an agent reports about its gateway (the controller copies it into `status.discoveredGateways`). */
export const GatewayReport = z.strictObject({
  version: z.literal(1),
  /** Gateway identity: annotation `gateway-name`, else label `app.kubernetes.io/name`, else the pod name. */
  name: z.string().min(1).max(253),
  podName: z.string().min(1).max(253),
  profile: z.string().max(253).optional(),
  servicePath: z.string().max(1024).optional(),
  /** The published commit this report answers. */
  desiredCommit: Sha.optional(),
  /** The commit the data dir is at (the last successful sync). */
  commit: Sha.optional(),
  syncStatus: z.enum(Object.values(GatewaySyncStatuses) as [string, ...string[]]),
  lastSyncTime: z.iso.datetime({ offset: true }).optional(),
  lastSyncDurationMs: z.number().int().min(0).optional(),
  filesAdded: z.number().int().min(0).optional(),
  filesModified: z.number().int().min(0).optional(),
  filesDeleted: z.number().int().min(0).optional(),
  scans: z.array(z.enum(['config', 'projects'])).optional(),
  driftCount: z.number().int().min(0).optional(),
  driftPaths: z.array(z.string().max(1024)).max(20).optional(),
  reason: z.string().max(1024).optional(),
  kind: z.enum(['stalling', 'waiting', 'transient']).optional(),
  error: z.string().max(4096).optional(),
});
export type GatewayReport = z.output<typeof GatewayReport>;

/**
 * The agent's environment, set by the admission webhook. Pod identity comes from the downward API; the rest
 * from the pod's annotations and the IgnitionSync. None of it is a secret: secrets are mounted files under
 * `secretsDir/<secret-name>/<key>`.
 */
export const AgentEnv = {
  podName: 'IGNITION_SYNC_POD_NAME',
  podNamespace: 'IGNITION_SYNC_POD_NAMESPACE',
  podUid: 'IGNITION_SYNC_POD_UID',
  /** Annotation `cr-name`. */
  crName: 'IGNITION_SYNC_CR_NAME',
  /** Annotation `sync-profile` (absent in 2-tier mode). */
  syncProfile: 'IGNITION_SYNC_SYNC_PROFILE',
  /** Annotation `service-path` (2-tier mode). */
  servicePath: 'IGNITION_SYNC_SERVICE_PATH',
  /** Annotation `gateway-name`, else label `app.kubernetes.io/name`; absent → the pod name. */
  gatewayName: 'IGNITION_SYNC_GATEWAY_NAME',
  /** The gateway data directory as mounted in the agent container. */
  dataDir: 'IGNITION_SYNC_DATA_DIR',
  /** Gateway API base URL; default `http(s)://127.0.0.1:<spec.gateway.port>` from the desired state. */
  gatewayUrl: 'IGNITION_SYNC_GATEWAY_URL',
  /** Mounted Secrets, one folder per Secret. */
  secretsDir: 'IGNITION_SYNC_SECRETS_DIR',
  /** Writable scratch (checkout, git home): an emptyDir. */
  workDir: 'IGNITION_SYNC_WORK_DIR',
  /** `HOST:PORT` (or `:PORT`) of `/healthz`, `/readyz` and `/metrics`; absent: no probe server. */
  probeListen: 'IGNITION_SYNC_PROBE_LISTEN',
} as const;

export const AgentDefaults = {
  dataDir: '/usr/local/bin/ignition/data',
  secretsDir: '/etc/ignition-sync/secrets',
  workDir: '/var/lib/ignition-sync',
  containerName: 'ignition-sync-agent',
  /** The injected agent's probe and metrics port (all interfaces), and its container port name. */
  probePort: 8099,
  probePortName: 'igs-agent',
} as const;

/** HTTP paths the controller process serves. */
export const ControllerPaths = {
  /** The mutating admission webhook that injects the agent into annotated pods (AdmissionReview v1). */
  injectAgent: '/mutate-v1-pod',
  /** The webhook receiver: `POST /webhook/{namespace}/{name}`. */
  webhookPrefix: '/webhook/',
  metrics: '/metrics',
  healthz: '/healthz',
  readyz: '/readyz',
} as const;

/** The finalizer the controller puts on every IgnitionSync to clean up what it published. */
export const IGNITION_SYNC_FINALIZER = 'sync.ignition.io/cleanup';
