import { describe, expect, it } from 'vitest';
import { IgnitionSyncAnnotations } from '../api/index.ts';
import type { WebhookEvent } from '../webhooks/index.ts';
import { planRequestAnnotations } from './webhook-requests.ts';

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
