import { normalizeRepoUrl } from './repo-url.ts';
import type { RefCandidate, WebhookDecision, WebhookEvent } from './webhook-event.ts';

/**
 * A pin: the ref a webhook asked for, which the IgnitionSync follows instead of `spec.git.ref` until it is
 * cleared (standalone: `<state>/requested-refs/`; controller: the `ignition-sync.io/requested-ref`
 * annotation and its `-at`/`-by` companions). See src/webhooks/README.md, "The pin rule".
 */
export interface RefPin {
  readonly ref: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
}

/** What the owner knows about the target when it decides. */
export interface WebhookTargetState {
  /** `namespace/name`, for messages. */
  readonly key: string;
  readonly specRef: string;
  /** `spec.git.repo`: picks the matching source when a body names several repositories. */
  readonly specRepo?: string;
  readonly pin?: RefPin | undefined;
}

/** What a verified webhook event does to its IgnitionSync (standalone runner and controller alike). */
export type WebhookAction =
  /** Sync now; `requestRef` (when set) becomes the pin. */
  | { readonly kind: 'sync'; readonly requestRef: string | undefined; readonly decision: WebhookDecision }
  /** Clear the pin and sync `spec.git.ref` now. */
  | { readonly kind: 'unpin'; readonly decision: WebhookDecision }
  | { readonly kind: 'ignore'; readonly decision: WebhookDecision };

function shortName(ref: string): string {
  for (const prefix of ['refs/heads/', 'refs/tags/']) {
    if (ref.startsWith(prefix)) return ref.slice(prefix.length);
  }
  return ref;
}

/** True when two refs name the same branch or tag (`main` ≡ `refs/heads/main`, `2.0.1` ≡ `refs/tags/2.0.1`). */
export function isSameRef(a: string, b: string): boolean {
  return shortName(a) === shortName(b);
}

/** The candidate whose repository is `specRepo`; with one candidate, that one whatever its URL. */
export function selectCandidate(
  candidates: readonly RefCandidate[],
  specRepo: string | undefined,
): RefCandidate | undefined {
  if (candidates.length <= 1 || specRepo === undefined) return candidates[0];
  const wanted = normalizeRepoUrl(specRepo);
  return candidates.find((c) => c.repoURL !== undefined && normalizeRepoUrl(c.repoURL) === wanted);
}

/** The sentence a refused push and the log carry while pinned: who pinned, when, and how to clear it. */
export function pinnedMessage(state: WebhookTargetState, pushed: string, pin: RefPin): string {
  const spec = shortName(state.specRef);
  return (
    `IgnitionSync ${state.key} is pinned to ${pin.ref} (requested by ${pin.requestedBy} at ${pin.requestedAt}); ` +
    `a push to ${pushed} does not move it. To follow ${spec} again, send {"ref": "${spec}"} to this webhook, ` +
    'or change spec.git.ref'
  );
}

/**
 * Pure policy (the pin rule, src/webhooks/README.md):
 * - a body naming several repositories is narrowed to the source whose repo is `spec.git.repo`;
 * - an explicit ref (Argo CD, Kargo, `{"ref"}`) or a new tag pins the IgnitionSync to it and syncs now —
 *   unless it is `spec.git.ref` itself, which clears the pin (`unpin`) or, unpinned, just syncs now;
 * - a branch push re-resolves when it is the branch being followed (the pin's, else the spec's) and is
 *   ignored otherwise; while pinned, a push to the spec's branch is ignored with a reason that names the
 *   pin and how to clear it (a push to a feature branch must never move production gateways onto it).
 * The second argument may be the bare effective ref (no pin, no repository check, never `unpin`): the
 * form callers used before pins were explicit.
 */
export function decideWebhookAction(
  event: WebhookEvent,
  effectiveRef: string,
): Exclude<WebhookAction, { readonly kind: 'unpin' }>;
export function decideWebhookAction(event: WebhookEvent, target: WebhookTargetState): WebhookAction;
export function decideWebhookAction(event: WebhookEvent, target: string | WebhookTargetState): WebhookAction {
  const state: WebhookTargetState =
    typeof target === 'string' ? { key: `${event.namespace}/${event.name}`, specRef: target } : target;
  const effectiveRef = state.pin?.ref ?? state.specRef;
  let ref = event.ref;
  if (event.candidates !== undefined) {
    const chosen = selectCandidate(event.candidates, state.specRepo);
    if (chosen === undefined) {
      return {
        kind: 'ignore',
        decision: {
          accepted: false,
          reason: `no repository named in the body is this IgnitionSync's spec.git.repo ${state.specRepo ?? ''}`,
        },
      };
    }
    ref = chosen.ref;
  }
  if (event.refSource === 'branch') {
    const pushed = shortName(ref);
    if (pushed === shortName(effectiveRef)) {
      return { kind: 'sync', requestRef: undefined, decision: { accepted: true, ref: effectiveRef } };
    }
    if (state.pin !== undefined && pushed === shortName(state.specRef)) {
      return {
        kind: 'ignore',
        decision: { accepted: false, reason: pinnedMessage(state, pushed, state.pin), pinned: state.pin },
      };
    }
    return {
      kind: 'ignore',
      decision: { accepted: false, reason: `branch ${pushed} is not the followed ref ${effectiveRef}` },
    };
  }
  if (isSameRef(ref, state.specRef)) {
    if (state.pin === undefined) {
      return { kind: 'sync', requestRef: undefined, decision: { accepted: true, ref: state.specRef } };
    }
    return {
      kind: 'unpin',
      decision: {
        accepted: true,
        ref: state.specRef,
        message: `pin to ${state.pin.ref} cleared: following spec.git.ref ${state.specRef} again`,
      },
    };
  }
  return { kind: 'sync', requestRef: ref, decision: { accepted: true, ref } };
}
