import { defineReasons, namesOf } from './define-reasons.ts';

/**
 * Reasons the webhook receiver answers with: the `error` field of its JSON error bodies (src/webhooks).
 * The HTTP-only answers are not failures of ours (`none`); they are stable API for senders and scripts.
 */
export const RECEIVER_REASONS = defineReasons({
  NotFound: {
    kind: 'none',
    condition: 'none',
    meaning: 'HTTP 404: the path is not /webhook/{namespace}/{name}',
  },
  MethodNotAllowed: { kind: 'none', condition: 'none', meaning: 'HTTP 405: the request is not a POST' },
  UnsupportedMediaType: {
    kind: 'none',
    condition: 'none',
    meaning: 'HTTP 415: a content type the detected sender does not use',
  },
  PayloadTooLarge: { kind: 'none', condition: 'none', meaning: 'HTTP 413: the body is over the limit' },
  Unauthorized: {
    kind: 'none',
    condition: 'none',
    meaning: 'HTTP 401: missing or wrong signature or token, or an unknown target (no existence oracle)',
  },
  StaleTimestamp: {
    kind: 'none',
    condition: 'none',
    meaning:
      'HTTP 401: a correctly signed delivery whose timestamp is outside the replay window (default 5 min)',
  },
  MalformedPayload: {
    kind: 'none',
    condition: 'none',
    meaning: 'HTTP 400: an authenticated body the sender parser cannot read',
  },
  InvalidRef: {
    kind: 'none',
    condition: 'none',
    meaning: "HTTP 400: the requested ref breaks git's ref rules",
  },
  InternalError: {
    kind: 'none',
    condition: 'none',
    meaning: 'HTTP 500: the request failed unexpectedly (details only in the log)',
  },
  WebhookTargetNotFound: {
    kind: 'stalling',
    condition: 'none',
    meaning: 'HTTP 404: the target vanished after authentication, or its webhook is disabled',
  },
  WebhookHandlerFailed: {
    kind: 'transient',
    condition: 'none',
    meaning: 'HTTP 500: requesting the sync failed; the delivery is not cached, so a retry runs again',
  },
});

export const ReceiverReasons = namesOf(RECEIVER_REASONS);
export type ReceiverReason = (typeof ReceiverReasons)[keyof typeof ReceiverReasons];
