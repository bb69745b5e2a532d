/** Names of the objects that install the operator (defaults of `ignition-sync manifests`). */
export const InstallNames = {
  namespace: 'ignition-sync-system',
  /** The controller's ServiceAccount (the Deployment runs as it). */
  controllerServiceAccount: 'ignition-sync-controller',
  controllerClusterRole: 'ignition-sync-controller',
  /** `get` on Secrets, bound cluster-wide or per namespace (see rbac.ts). */
  controllerSecretsClusterRole: 'ignition-sync-controller-secrets',
  /** Lease of the leader election, in the operator's namespace. */
  leaderElectionRole: 'ignition-sync-leader-election',
  /** The agent's permissions, bound per gateway namespace with a RoleBinding. */
  agentClusterRole: 'ignition-sync-agent',
  webhookConfiguration: 'ignition-sync-injection',
  /** Service in front of the controller's admission server. */
  webhookService: 'ignition-sync-webhook',
} as const;

export const PART_OF_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': 'ignition-sync',
  'app.kubernetes.io/part-of': 'ignition-sync',
};
