import type { V1MutatingWebhookConfiguration } from '@kubernetes/client-node';
import { AgentDefaults, ControllerPaths, PodAnnotations } from '../api/index.ts';
import { InstallNames, PART_OF_LABELS } from './names.ts';

/** How the apiserver reaches the admission server: a URL (out-of-cluster, tests) or the controller's Service. */
export type WebhookEndpoint =
  | { readonly url: string }
  | { readonly service: { readonly name: string; readonly namespace: string; readonly port?: number } };

export interface WebhookConfigurationOptions {
  readonly endpoint: WebhookEndpoint;
  /** PEM of the CA that signed the admission server's certificate; absent: cert-manager's CA injector fills it. */
  readonly caBundlePem?: string;
  /** The operator's namespace: never injected into. */
  readonly namespace: string;
  readonly name?: string;
  readonly timeoutSeconds?: number;
}

/** Namespaces never sent to the webhook: the control plane's and the operator's own. */
export const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease'];

/**
 * CEL, evaluated by the apiserver before calling the webhook: only pods annotated `inject: "true"` that do not
 * have the agent yet are sent (annotations cannot be matched by an objectSelector, which sees labels only).
 */
export const INJECTION_MATCH_CONDITIONS = [
  {
    name: 'inject-annotation',
    expression: `has(object.metadata.annotations) && '${PodAnnotations.inject}' in object.metadata.annotations && object.metadata.annotations['${PodAnnotations.inject}'] == 'true'`,
  },
  {
    name: 'not-injected',
    expression: `!has(object.spec.initContainers) || !object.spec.initContainers.exists(c, c.name == '${AgentDefaults.containerName}')`,
  },
] as const;

export const WEBHOOK_TIMEOUT_SECONDS = 5;

/**
 * The MutatingWebhookConfiguration that injects the agent (see src/controller/injection/README.md):
 * `failurePolicy: Ignore` — when the operator is down a gateway pod still starts, without the agent, rather
 * than not at all; `reinvocationPolicy: IfNeeded` — re-run after later webhooks (the handler is idempotent).
 */
export function injectionWebhookConfiguration(
  o: WebhookConfigurationOptions,
): V1MutatingWebhookConfiguration {
  const clientConfig =
    'url' in o.endpoint
      ? { url: o.endpoint.url }
      : {
          service: {
            name: o.endpoint.service.name,
            namespace: o.endpoint.service.namespace,
            path: ControllerPaths.injectAgent,
            port: o.endpoint.service.port ?? 443,
          },
        };
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: o.name ?? InstallNames.webhookConfiguration, labels: { ...PART_OF_LABELS } },
    webhooks: [
      {
        name: 'inject-agent.sync.ignition.io',
        clientConfig: {
          ...clientConfig,
          ...(o.caBundlePem === undefined ? {} : { caBundle: Buffer.from(o.caBundlePem).toString('base64') }),
        },
        rules: [
          {
            operations: ['CREATE'],
            apiGroups: [''],
            apiVersions: ['v1'],
            resources: ['pods'],
            scope: 'Namespaced',
          },
        ],
        namespaceSelector: {
          matchExpressions: [
            {
              key: 'kubernetes.io/metadata.name',
              operator: 'NotIn',
              values: [...SYSTEM_NAMESPACES, o.namespace],
            },
          ],
        },
        matchConditions: INJECTION_MATCH_CONDITIONS.map((c) => ({ ...c })),
        failurePolicy: 'Ignore',
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        timeoutSeconds: o.timeoutSeconds ?? WEBHOOK_TIMEOUT_SECONDS,
        reinvocationPolicy: 'IfNeeded',
        matchPolicy: 'Equivalent',
      },
    ],
  };
}
