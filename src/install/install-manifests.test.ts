import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { AgentDefaults, ControllerPaths, PodAnnotations } from '../api/index.ts';
import {
  AGENT_RULES,
  buildInstallManifests,
  CONTROLLER_SECRET_RULES,
  INJECTION_MATCH_CONDITIONS,
  injectionWebhookConfiguration,
  renderManifests,
} from './index.ts';

describe('install manifests', () => {
  it('the agent may only read and write ConfigMaps; the controller may only get (not list) Secrets', () => {
    expect(AGENT_RULES.flatMap((r) => r.resources)).toEqual(['configmaps']);
    expect(AGENT_RULES.flatMap((r) => r.verbs)).not.toContain('delete');
    expect(CONTROLLER_SECRET_RULES).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]);
  });

  it('the webhook: Ignore, no side effects, v1, re-invoked, pods CREATE only, system and own namespace excluded', () => {
    const [webhook] =
      injectionWebhookConfiguration({ endpoint: { url: 'https://127.0.0.1:1/x' }, namespace: 'ops' })
        .webhooks ?? [];
    expect(webhook).toMatchObject({
      failurePolicy: 'Ignore',
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
      reinvocationPolicy: 'IfNeeded',
      rules: [{ operations: ['CREATE'], resources: ['pods'] }],
    });
    expect(webhook?.namespaceSelector?.matchExpressions?.[0]?.values).toEqual([
      'kube-system',
      'kube-public',
      'kube-node-lease',
      'ops',
    ]);
    const service = injectionWebhookConfiguration({
      endpoint: { service: { name: 's', namespace: 'ops' } },
      namespace: 'ops',
    });
    expect(service.webhooks?.[0]?.clientConfig.service).toEqual({
      name: 's',
      namespace: 'ops',
      path: ControllerPaths.injectAgent,
      port: 443,
    });
  });

  it('match conditions name the contract’s annotation and container', () => {
    const text = INJECTION_MATCH_CONDITIONS.map((c) => c.expression).join('\n');
    expect(text).toContain(`'${PodAnnotations.inject}'`);
    expect(text).toContain(`'${AgentDefaults.containerName}'`);
  });

  it('renders deterministic multi-document YAML that parses back to the same objects', () => {
    const objects = buildInstallManifests({ withoutCrds: true });
    const text = renderManifests(objects, '# header');
    expect(text).toBe(renderManifests(buildInstallManifests({ withoutCrds: true }), '# header'));
    expect(text.startsWith('# header\n---\n')).toBe(true);
    expect(parseAllDocuments(text).map((d) => d.toJS())).toEqual(JSON.parse(JSON.stringify(objects)));
  });
});
