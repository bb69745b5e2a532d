import { ControllerPaths } from '../api/index.ts';
import { AGENT_RULES, CONTROLLER_RULES, CONTROLLER_SECRET_RULES, LEADER_ELECTION_RULES } from './rbac.ts';
import { injectionWebhookConfiguration, SYSTEM_NAMESPACES } from './webhook-configuration.ts';

/**
 * What the Helm chart (deploy/helm/ignition-sync) takes from this folder instead of restating it: the RBAC rules
 * and the injection webhook's fixed fields. `npm run gen` writes it to the chart's
 * `files/generated/install-policy.yaml`; the chart's templates read it with `.Files.Get` and add only what
 * depends on the release (names, namespace, endpoint, CA bundle). So the chart grants exactly what
 * `ignition-sync manifests` grants.
 */
export interface ChartPolicy {
  readonly controllerRules: typeof CONTROLLER_RULES;
  readonly controllerSecretRules: typeof CONTROLLER_SECRET_RULES;
  readonly leaderElectionRules: typeof LEADER_ELECTION_RULES;
  readonly agentRules: typeof AGENT_RULES;
  /** Namespaces never sent to the webhook; the chart adds the release's namespace. */
  readonly systemNamespaces: readonly string[];
  /** The admission server's path on the controller's Service (port 443). */
  readonly webhookPath: string;
  /** The webhook entry without `clientConfig` and `namespaceSelector`, which the chart fills in. */
  readonly webhook: Record<string, unknown>;
}

export function chartPolicy(): ChartPolicy {
  const [webhook] =
    injectionWebhookConfiguration({ endpoint: { url: 'https://unused.invalid/' }, namespace: 'unused' })
      .webhooks ?? [];
  if (webhook === undefined) throw new Error('the injection webhook configuration has no webhook');
  const { clientConfig: _clientConfig, namespaceSelector: _namespaceSelector, ...fixed } = webhook;
  return {
    controllerRules: CONTROLLER_RULES,
    controllerSecretRules: CONTROLLER_SECRET_RULES,
    leaderElectionRules: LEADER_ELECTION_RULES,
    agentRules: AGENT_RULES,
    systemNamespaces: SYSTEM_NAMESPACES,
    webhookPath: ControllerPaths.injectAgent,
    webhook: fixed,
  };
}
