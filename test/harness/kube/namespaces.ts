import { randomBytes } from 'node:crypto';
import type { KubeClient } from '../../../src/kube/index.ts';

/**
 * Creates a fresh namespace for one test. There is no kube-controller-manager in the test control plane, so
 * namespaces are never really deleted; fresh names keep tests independent.
 */
export async function createTestNamespace(client: KubeClient, prefix = 'test'): Promise<string> {
  const name = `${prefix}-${randomBytes(4).toString('hex')}`;
  await client.request({
    method: 'POST',
    path: '/api/v1/namespaces',
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
  });
  return name;
}
