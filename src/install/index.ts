// Public API of the install manifests: the objects `ignition-sync manifests` prints and deploy/manifests/ holds.

export { type ChartPolicy, chartPolicy } from './chart-policy.ts';
export {
  buildInstallManifests,
  type InstallOptions,
  type ManifestObject,
  renderManifests,
} from './install-manifests.ts';
export { InstallNames } from './names.ts';
export {
  AGENT_RULES,
  agentClusterRole,
  agentRoleBinding,
  CONTROLLER_RULES,
  CONTROLLER_SECRET_RULES,
  controllerRbac,
  LEADER_ELECTION_RULES,
  type RbacObject,
  type ServiceAccountRef,
} from './rbac.ts';
export {
  INJECTION_MATCH_CONDITIONS,
  injectionWebhookConfiguration,
  SYSTEM_NAMESPACES,
  WEBHOOK_TIMEOUT_SECONDS,
  type WebhookConfigurationOptions,
  type WebhookEndpoint,
} from './webhook-configuration.ts';
