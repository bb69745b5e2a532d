import type { WebhookDecision, WebhookEvent } from './webhook-event.ts';

/** What a verified webhook event does to its IgnitionSync (standalone runner and controller alike). */
export type WebhookAction =
  | { readonly kind: 'sync'; readonly requestRef: string | undefined; readonly decision: WebhookDecision }
  | { readonly kind: 'ignore'; readonly decision: WebhookDecision };

function branchName(ref: string): string {
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
}

/**
 * Pure policy:
 * - an explicit ref (Argo CD, Kargo, `{"ref"}`) or a new tag becomes the requested ref and syncs now;
 * - a branch push re-resolves when it is the branch being followed, and is ignored otherwise (a push to a
 *   feature branch must never move production gateways onto it).
 */
export function decideWebhookAction(event: WebhookEvent, effectiveRef: string): WebhookAction {
  if (event.refSource === 'branch') {
    const pushed = branchName(event.ref);
    if (pushed !== branchName(effectiveRef)) {
      return {
        kind: 'ignore',
        decision: { accepted: false, reason: `branch ${pushed} is not the followed ref ${effectiveRef}` },
      };
    }
    return { kind: 'sync', requestRef: undefined, decision: { accepted: true, ref: effectiveRef } };
  }
  return { kind: 'sync', requestRef: event.ref, decision: { accepted: true, ref: event.ref } };
}
