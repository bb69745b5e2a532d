/** Reasons the receiver answers with (the `error` field of its JSON error bodies). */
export const ReceiverReasons = {
  NotFound: 'NotFound',
  MethodNotAllowed: 'MethodNotAllowed',
  UnsupportedMediaType: 'UnsupportedMediaType',
  PayloadTooLarge: 'PayloadTooLarge',
  Unauthorized: 'Unauthorized',
  MalformedPayload: 'MalformedPayload',
  InvalidRef: 'InvalidRef',
  WebhookTargetNotFound: 'WebhookTargetNotFound',
  WebhookHandlerFailed: 'WebhookHandlerFailed',
} as const;
export type ReceiverReason = (typeof ReceiverReasons)[keyof typeof ReceiverReasons];
