import { describe, expect, it } from 'vitest';
import { decideWebhookAction } from './webhook-decision.ts';
import type { WebhookEvent } from './webhook-event.ts';

const base: WebhookEvent = {
  namespace: 'site1',
  name: 'proveit-sync',
  provider: 'github',
  ref: '',
  refSource: 'tag',
};

describe('decideWebhookAction', () => {
  it('a tag event requests that tag', () => {
    expect(decideWebhookAction({ ...base, ref: 'refs/tags/2.0.1' }, '2.0.0')).toEqual({
      kind: 'sync',
      requestRef: 'refs/tags/2.0.1',
      decision: { accepted: true, ref: 'refs/tags/2.0.1' },
    });
  });

  it('an explicit Argo CD / Kargo ref requests that ref', () => {
    const action = decideWebhookAction(
      { ...base, provider: 'generic', ref: 'v9', refSource: 'explicit' },
      'main',
    );
    expect(action).toMatchObject({ kind: 'sync', requestRef: 'v9' });
  });

  it('a push to the followed branch re-resolves it without changing the ref', () => {
    expect(decideWebhookAction({ ...base, ref: 'refs/heads/main', refSource: 'branch' }, 'main')).toEqual({
      kind: 'sync',
      requestRef: undefined,
      decision: { accepted: true, ref: 'main' },
    });
  });

  it('a push to another branch is ignored with a reason', () => {
    expect(
      decideWebhookAction({ ...base, ref: 'refs/heads/feature/x', refSource: 'branch' }, 'main'),
    ).toEqual({
      kind: 'ignore',
      decision: { accepted: false, reason: 'branch feature/x is not the followed ref main' },
    });
  });
});
