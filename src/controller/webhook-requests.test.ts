import { describe, expect, it } from 'vitest';
import { IgnitionSyncAnnotations } from '../api/index.ts';
import type { KubeClient } from '../kube/index.ts';
import { createSilentLogger } from '../observability/index.ts';
import type { WebhookEvent } from '../webhooks/index.ts';
import type { IgnitionSyncObject } from './objects.ts';
import type { WebhookKeys } from './webhook-keys.ts';
import { createWebhookRequests, planRequestAnnotations } from './webhook-requests.ts';

const event: WebhookEvent = {
  namespace: 'site1',
  name: 'plant',
  provider: 'github',
  ref: 'refs/tags/v1.2.0',
  refSource: 'tag',
  deliveryId: 'd-1',
};
const AT = '2026-03-01T10:00:00.000Z';

describe('planRequestAnnotations', () => {
  it('writes the requested ref with who and when', () => {
    expect(planRequestAnnotations(event, 'refs/tags/v1.2.0', 'v1.1.0', AT)).toEqual({
      metadata: {
        annotations: {
          [IgnitionSyncAnnotations.requestedRef]: 'refs/tags/v1.2.0',
          [IgnitionSyncAnnotations.requestedAt]: AT,
          [IgnitionSyncAnnotations.requestedBy]: 'webhook/github delivery=d-1',
        },
      },
    });
  });

  it('a request for what spec already says removes the pin', () => {
    const plan = planRequestAnnotations(event, 'refs/tags/v1.2.0', '1.2.0', AT);
    expect(plan.metadata.annotations[IgnitionSyncAnnotations.requestedRef]).toBeNull();
  });

  it('a push to the followed branch only pokes (requested-at), leaving any requested ref alone', () => {
    const plan = planRequestAnnotations(
      { ...event, refSource: 'branch', ref: 'main' },
      undefined,
      'main',
      AT,
    );
    expect(plan.metadata.annotations).not.toHaveProperty(IgnitionSyncAnnotations.requestedRef);
    expect(plan.metadata.annotations[IgnitionSyncAnnotations.requestedAt]).toBe(AT);
  });
});

describe('createWebhookRequests: the pin rule in the controller', () => {
  const pinned = {
    apiVersion: 'sync.ignition.io/v1alpha1',
    kind: 'IgnitionSync',
    metadata: {
      name: 'plant',
      namespace: 'site1',
      annotations: {
        [IgnitionSyncAnnotations.requestedRef]: '2.0.1',
        [IgnitionSyncAnnotations.requestedAt]: AT,
        [IgnitionSyncAnnotations.requestedBy]: 'webhook/kargo',
      },
    },
    spec: {
      git: { repo: 'https://git.example.com/plant.git', ref: 'main' },
      webhook: { enabled: true, secretRef: { name: 'hook', key: 'key' } },
    },
  } as unknown as IgnitionSyncObject;

  /** The receiver side with the apiserver seam recording the patches it would send. */
  function requestsFor(obj: IgnitionSyncObject) {
    const patches: unknown[] = [];
    const client = {
      request: async (r: { body?: unknown }) => {
        patches.push(r.body);
        return {};
      },
    } as unknown as KubeClient;
    const requests = createWebhookRequests({
      client,
      keys: {} as WebhookKeys,
      lookup: () => obj,
      logger: createSilentLogger(),
      now: () => new Date(AT),
    });
    return { patches, onAccepted: requests.onAccepted };
  }

  it('a push to spec branch while pinned changes nothing and says who pinned it and how to clear it', async () => {
    const { patches, onAccepted } = requestsFor(pinned);
    const decision = await onAccepted({ ...event, ref: 'refs/heads/main', refSource: 'branch' });
    expect(decision).toMatchObject({
      accepted: false,
      pinned: { ref: '2.0.1', requestedBy: 'webhook/kargo', requestedAt: AT },
    });
    expect(decision.accepted === false ? decision.reason : '').toContain('2.0.1');
    expect(patches).toEqual([]);
  });

  it('asking for spec own ref clears the pin (the annotation is removed)', async () => {
    const { patches, onAccepted } = requestsFor(pinned);
    const decision = await onAccepted({ ...event, ref: 'main', refSource: 'explicit' });
    expect(decision.accepted).toBe(true);
    expect(patches).toHaveLength(1);
    expect(patches[0]).toMatchObject({
      metadata: { annotations: { [IgnitionSyncAnnotations.requestedRef]: null } },
    });
  });
});
