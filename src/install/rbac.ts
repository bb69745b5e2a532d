import type {
  V1ClusterRole,
  V1ClusterRoleBinding,
  V1PolicyRule,
  V1Role,
  V1RoleBinding,
  V1ServiceAccount,
} from '@kubernetes/client-node';
import { API_GROUP, Resources } from '../api/index.ts';
import { InstallNames, PART_OF_LABELS } from './names.ts';

const RBAC = 'rbac.authorization.k8s.io/v1';
const meta = (name: string, namespace?: string) => ({
  name,
  ...(namespace === undefined ? {} : { namespace }),
  labels: { ...PART_OF_LABELS },
});

/**
 * What the controller does (docs/architecture.md, "Data flow in Kubernetes") and the verbs that needs:
 * - watches IgnitionSyncs (informer), updates their annotations (clears a requested ref) and finalizers, and
 *   writes their status; `finalizers` also lets it own objects with `blockOwnerDeletion`;
 * - watches SyncProfiles and writes their `Accepted` condition;
 * - watches pods to discover annotated gateways (never writes them: the admission webhook mutates pods);
 * - publishes the desired-state ConfigMap and reads the agents' report ConfigMaps (deleting what it owns);
 * - records Events, core/v1 and events.k8s.io/v1.
 */
export const CONTROLLER_RULES: readonly V1PolicyRule[] = [
  {
    apiGroups: [API_GROUP],
    resources: [Resources.ignitionSyncs],
    verbs: ['get', 'list', 'watch', 'update', 'patch'],
  },
  {
    apiGroups: [API_GROUP],
    resources: [`${Resources.ignitionSyncs}/status`],
    verbs: ['get', 'update', 'patch'],
  },
  { apiGroups: [API_GROUP], resources: [`${Resources.ignitionSyncs}/finalizers`], verbs: ['update'] },
  { apiGroups: [API_GROUP], resources: [Resources.syncProfiles], verbs: ['get', 'list', 'watch'] },
  {
    apiGroups: [API_GROUP],
    resources: [`${Resources.syncProfiles}/status`],
    verbs: ['get', 'update', 'patch'],
  },
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
  {
    apiGroups: [''],
    resources: ['configmaps'],
    verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'],
  },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
];

/**
 * Secrets: only `get` (no list, no watch: the controller cannot enumerate Secrets, it reads the ones an
 * IgnitionSync names), for `ls-remote` credentials (`spec.git.auth`) and the webhook receiver's keys
 * (`spec.webhook.secretRef`). IgnitionSyncs live in any namespace, so the default binding is cluster-wide;
 * `secretNamespaces` binds it only in the namespaces that hold IgnitionSyncs instead.
 */
export const CONTROLLER_SECRET_RULES: readonly V1PolicyRule[] = [
  { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
];

/** Leader election: one Lease in the operator's namespace (`create` the first time, then `get`/`update`). */
export const LEADER_ELECTION_RULES: readonly V1PolicyRule[] = [
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
];

/**
 * The agent reads the desired-state ConfigMap (get/list/watch: a watch on one object is a list with a field
 * selector) and writes its own report ConfigMap (create/update). Nothing else: Secrets are mounted files, the
 * pod's identity comes from the downward API. Its report's owner reference to the Pod must not set
 * `blockOwnerDeletion` (that would need `pods/finalizers`).
 */
export const AGENT_RULES: readonly V1PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'create', 'update'] },
];

export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

const subject = (sa: ServiceAccountRef) => ({
  kind: 'ServiceAccount',
  name: sa.name,
  namespace: sa.namespace,
});
const clusterRoleRef = (name: string) => ({
  apiGroup: 'rbac.authorization.k8s.io',
  kind: 'ClusterRole',
  name,
});

export interface ControllerRbacOptions {
  readonly namespace: string;
  /** Bind Secret `get` only in these namespaces (RoleBindings); undefined: cluster-wide. */
  readonly secretNamespaces?: readonly string[];
}

export type RbacObject = V1ServiceAccount | V1ClusterRole | V1ClusterRoleBinding | V1Role | V1RoleBinding;

/** The controller's ServiceAccount, ClusterRoles and their bindings, and its leader-election Role. */
export function controllerRbac(o: ControllerRbacOptions): RbacObject[] {
  const sa: ServiceAccountRef = { namespace: o.namespace, name: InstallNames.controllerServiceAccount };
  const secretBindings: RbacObject[] =
    o.secretNamespaces === undefined
      ? [
          {
            apiVersion: RBAC,
            kind: 'ClusterRoleBinding',
            metadata: meta(InstallNames.controllerSecretsClusterRole),
            roleRef: clusterRoleRef(InstallNames.controllerSecretsClusterRole),
            subjects: [subject(sa)],
          },
        ]
      : o.secretNamespaces.map(
          (ns): V1RoleBinding => ({
            apiVersion: RBAC,
            kind: 'RoleBinding',
            metadata: meta(InstallNames.controllerSecretsClusterRole, ns),
            roleRef: clusterRoleRef(InstallNames.controllerSecretsClusterRole),
            subjects: [subject(sa)],
          }),
        );
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(sa.name, sa.namespace) },
    {
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: meta(InstallNames.controllerClusterRole),
      rules: [...CONTROLLER_RULES],
    },
    {
      apiVersion: RBAC,
      kind: 'ClusterRoleBinding',
      metadata: meta(InstallNames.controllerClusterRole),
      roleRef: clusterRoleRef(InstallNames.controllerClusterRole),
      subjects: [subject(sa)],
    },
    {
      apiVersion: RBAC,
      kind: 'ClusterRole',
      metadata: meta(InstallNames.controllerSecretsClusterRole),
      rules: [...CONTROLLER_SECRET_RULES],
    },
    ...secretBindings,
    {
      apiVersion: RBAC,
      kind: 'Role',
      metadata: meta(InstallNames.leaderElectionRole, o.namespace),
      rules: [...LEADER_ELECTION_RULES],
    },
    {
      apiVersion: RBAC,
      kind: 'RoleBinding',
      metadata: meta(InstallNames.leaderElectionRole, o.namespace),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: InstallNames.leaderElectionRole },
      subjects: [subject(sa)],
    },
  ];
}

/** The agent's ClusterRole; bind it per gateway namespace with {@link agentRoleBinding}. */
export function agentClusterRole(): V1ClusterRole {
  return {
    apiVersion: RBAC,
    kind: 'ClusterRole',
    metadata: meta(InstallNames.agentClusterRole),
    rules: [...AGENT_RULES],
  };
}

/**
 * Grants the agent's permissions in one namespace to the gateway pods' ServiceAccount (the injected agent
 * runs as the pod's ServiceAccount). A RoleBinding, never a ClusterRoleBinding: an agent sees only its
 * namespace's ConfigMaps.
 */
export function agentRoleBinding(sa: ServiceAccountRef): V1RoleBinding {
  return {
    apiVersion: RBAC,
    kind: 'RoleBinding',
    metadata: meta(`${InstallNames.agentClusterRole}-${sa.name}`, sa.namespace),
    roleRef: clusterRoleRef(InstallNames.agentClusterRole),
    subjects: [subject(sa)],
  };
}
