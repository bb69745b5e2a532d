/**
 * What the receiver hands to its owner after a request was authenticated and understood. Pure data: the
 * standalone runner turns it into an immediate sync, the Kubernetes controller into an annotation.
 */
export type ProviderName = 'github' | 'gitlab' | 'gitea' | 'forgejo' | 'bitbucket' | 'generic';

/**
 * Where the ref came from:
 * - `explicit`: the sender named the ref to deploy (`{"ref": ...}` from Argo CD, Kargo, scripts).
 * - `tag`: a git host reported a new tag (tag push, tag create, release published).
 * - `branch`: a git host reported new commits on a branch.
 */
export type RefSource = 'explicit' | 'tag' | 'branch';

/** Request headers with lower-case names, single values (repeated headers joined with ", "). */
export type WebhookHeaders = Readonly<Record<string, string | undefined>>;

/** One request as the pure providers see it: headers and the raw body bytes, exactly as signed. */
export interface WebhookRequest {
  readonly headers: WebhookHeaders;
  readonly body: Buffer;
}

/**
 * One ref a multi-repository body names (an Argo CD Application with several sources, a Kargo Freight with
 * several commits), with the repository it belongs to. The owner picks the one whose `repoURL` is its
 * IgnitionSync's `spec.git.repo` (`selectCandidate`).
 */
export interface RefCandidate {
  readonly ref: string;
  readonly repoURL?: string;
  readonly commit?: string;
}

/** A verified, parsed event that asks for a sync of `ref`. */
export interface WebhookEvent {
  readonly namespace: string;
  readonly name: string;
  readonly provider: ProviderName;
  /** A ref git accepts (`refs/tags/v1.2.0`, `refs/heads/main`, `v1.2.0`, `main`) or a 40-hex commit. */
  readonly ref: string;
  readonly refSource: RefSource;
  /** The commit the sender says the ref points at, when it says (informational; the ref is resolved again). */
  readonly commit?: string;
  /** The sender's delivery ID, when it sends one. Repeated IDs are answered from the delivery cache. */
  readonly deliveryId?: string;
  /** Present when the body named several repositories; `ref`/`commit` are then the first candidate's. */
  readonly candidates?: readonly RefCandidate[];
}

/** What the owner decided for an authenticated event. */
export type WebhookDecision =
  | { readonly accepted: true; readonly ref: string; readonly message?: string }
  | {
      readonly accepted: false;
      readonly reason: string;
      /** Set when the event was ignored because the IgnitionSync is pinned (see the pin rule). */
      readonly pinned?: { readonly ref: string; readonly requestedBy: string; readonly requestedAt: string };
    };

/** The result of parsing an authenticated body. */
export type ParseResult =
  | {
      readonly kind: 'event';
      readonly ref: string;
      readonly refSource: RefSource;
      readonly commit?: string;
      readonly candidates?: readonly RefCandidate[];
    }
  | { readonly kind: 'ignored'; readonly reason: string }
  | { readonly kind: 'malformed'; readonly message: string };
