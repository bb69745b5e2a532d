import { stringify } from 'yaml';
import { buildCrds } from '../api/crds/index.ts';
import { InstallNames, PART_OF_LABELS } from './names.ts';
import { agentClusterRole, agentRoleBinding, controllerRbac, type ServiceAccountRef } from './rbac.ts';
import { injectionWebhookConfiguration, type WebhookEndpoint } from './webhook-configuration.ts';

export interface InstallOptions {
  /** The operator's namespace (default `ignition-sync-system`). */
  readonly namespace?: string;
  /** Default: the Service `ignition-sync-webhook` in the operator's namespace, port 443. */
  readonly webhookEndpoint?: WebhookEndpoint;
  readonly caBundlePem?: string;
  /** Bind the controller's Secret `get` only in these namespaces (default: cluster-wide). */
  readonly secretNamespaces?: readonly string[];
  /** Gateway ServiceAccounts to bind the agent's ClusterRole to (one RoleBinding each). */
  readonly agentServiceAccounts?: readonly ServiceAccountRef[];
  /** Leave out the CRDs (they are also in deploy/crds/). */
  readonly withoutCrds?: boolean;
}

/** A Kubernetes object to print. */
export interface ManifestObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
}

/**
 * Everything that installs the operator, in apply order: CRDs, the Namespace, RBAC for the controller and the
 * agent, the MutatingWebhookConfiguration. The controller's Deployment and Service are not generated yet.
 */
export function buildInstallManifests(o: InstallOptions = {}): ManifestObject[] {
  const namespace = o.namespace ?? InstallNames.namespace;
  const endpoint = o.webhookEndpoint ?? { service: { name: InstallNames.webhookService, namespace } };
  return [
    ...(o.withoutCrds === true ? [] : buildCrds()),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { ...PART_OF_LABELS } } },
    ...controllerRbac({
      namespace,
      ...(o.secretNamespaces === undefined ? {} : { secretNamespaces: o.secretNamespaces }),
    }),
    agentClusterRole(),
    ...(o.agentServiceAccounts ?? []).map(agentRoleBinding),
    injectionWebhookConfiguration({
      endpoint,
      namespace,
      ...(o.caBundlePem === undefined ? {} : { caBundlePem: o.caBundlePem }),
    }),
  ];
}

/** Multi-document YAML (deterministic: same options, same bytes). */
export function renderManifests(objects: readonly ManifestObject[], header?: string): string {
  const docs = objects.map((obj) => stringify(obj, { lineWidth: 0, aliasDuplicateObjects: false }));
  return `${header === undefined ? '' : `${header.replace(/\n*$/, '\n')}`}---\n${docs.join('---\n')}`;
}
