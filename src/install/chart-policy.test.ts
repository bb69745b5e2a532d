import { describe, expect, it } from 'vitest';
import { chartPolicy } from './chart-policy.ts';
import { CONTROLLER_RULES, CONTROLLER_SECRET_RULES } from './rbac.ts';
import { injectionWebhookConfiguration } from './webhook-configuration.ts';

describe('chartPolicy (what the Helm chart reads from src/install)', () => {
  it('leaves out of the webhook only what the chart fills in: the endpoint and the namespace selector', () => {
    const policy = chartPolicy();
    const [full] =
      injectionWebhookConfiguration({
        endpoint: { service: { name: 'svc', namespace: 'ops' } },
        namespace: 'ops',
      }).webhooks ?? [];
    const { clientConfig, namespaceSelector, ...rest } = full ?? { clientConfig: {} };
    expect(policy.webhook).toEqual(rest);
    expect(clientConfig.service?.path).toBe(policy.webhookPath);
    expect(namespaceSelector?.matchExpressions?.[0]?.values).toEqual([...policy.systemNamespaces, 'ops']);
  });

  it('carries the RBAC rules unchanged', () => {
    expect(chartPolicy().controllerRules).toEqual(CONTROLLER_RULES);
    expect(chartPolicy().controllerSecretRules).toEqual(CONTROLLER_SECRET_RULES);
  });
});
