import { API_VERSION, IgnitionSyncAnnotations, IgnitionSyncSpec, Resources } from '../api/index.ts';
import { OperatorError } from '../errors.ts';
import { isNotFound, type KubeClient, objectPath } from '../kube/index.ts';
import type { Logger } from '../observability/index.ts';
import {
  decideWebhookAction,
  ReceiverReasons,
  type WebhookDecision,
  type WebhookEvent,
  type WebhookHandlerOptions,
} from '../webhooks/index.ts';
import { effectiveRef, sameRef } from './effective-ref.ts';
import type { IgnitionSyncObject } from './objects.ts';
import type { WebhookKeys } from './webhook-keys.ts';

export interface WebhookRequestsOptions {
  readonly client: KubeClient;
  readonly keys: WebhookKeys;
  /** The IgnitionSync from the informer cache (every replica runs the informers). */
  readonly lookup: (namespace: string, name: string) => IgnitionSyncObject | undefined;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/** The annotation merge patch for an accepted event; `null` removes an annotation. Pure. */
export function planRequestAnnotations(
  event: WebhookEvent,
  requestRef: string | undefined,
  specRef: string,
  requestedAt: string,
): { metadata: { annotations: Record<string, string | null> } } {
  const by = `webhook/${event.provider}${event.deliveryId === undefined ? '' : ` delivery=${event.deliveryId}`}`;
  const annotations: Record<string, string | null> = {
    [IgnitionSyncAnnotations.requestedAt]: requestedAt,
    [IgnitionSyncAnnotations.requestedBy]: by.slice(0, 253),
  };
  if (requestRef !== undefined) {
    // A request for what spec already says returns the IgnitionSync to following spec.
    annotations[IgnitionSyncAnnotations.requestedRef] = sameRef(requestRef, specRef) ? null : requestRef;
  }
  return { metadata: { annotations } };
}

/**
 * The controller's side of the webhook receiver: `lookupSecret` reads `spec.webhook.secretRef` of the
 * target (through {@link WebhookKeys}); `onAccepted` writes the requested-ref / requested-at / requested-by
 * annotations with a merge patch (never `spec`, so Argo CD does not fight it). The leader's informer sees
 * the change and reconciles. Served on every replica.
 */
export function createWebhookRequests(
  options: WebhookRequestsOptions,
): Pick<WebhookHandlerOptions, 'lookupSecret' | 'onAccepted'> {
  const now = options.now ?? (() => new Date());
  const specOf = (namespace: string, name: string) => {
    const obj = options.lookup(namespace, name);
    if (obj === undefined) return undefined;
    const spec = IgnitionSyncSpec.safeParse(obj.spec);
    return spec.success ? { obj, spec: spec.data } : undefined;
  };
  return {
    lookupSecret: async (namespace, name) => {
      const target = specOf(namespace, name);
      const webhook = target?.spec.webhook;
      if (webhook?.enabled !== true || webhook.secretRef === undefined) return undefined;
      return options.keys.get(namespace, webhook.secretRef);
    },
    onAccepted: async (event): Promise<WebhookDecision> => {
      const target = specOf(event.namespace, event.name);
      if (target === undefined || !target.spec.webhook.enabled) {
        throw new OperatorError(ReceiverReasons.WebhookTargetNotFound, 'webhook target not found');
      }
      const { obj, spec } = target;
      if (spec.paused) return { accepted: false, reason: 'IgnitionSync is paused' };
      const annotations = obj.metadata.annotations;
      const followed = effectiveRef(spec.git.ref, annotations);
      // The pin rule (src/webhooks/README.md): a requested ref pins the IgnitionSync; the decision names it.
      const pin =
        followed.source === 'requested'
          ? {
              ref: followed.ref,
              requestedBy: annotations?.[IgnitionSyncAnnotations.requestedBy] ?? 'a webhook',
              requestedAt: annotations?.[IgnitionSyncAnnotations.requestedAt] ?? 'an unknown time',
            }
          : undefined;
      const action = decideWebhookAction(event, {
        key: `${event.namespace}/${event.name}`,
        specRef: spec.git.ref,
        specRepo: spec.git.repo,
        pin,
      });
      options.logger.info(
        {
          namespace: event.namespace,
          name: event.name,
          provider: event.provider,
          ref: event.ref,
          action: action.kind,
        },
        'webhook event',
      );
      if (action.kind === 'ignore') return action.decision;
      // Unpinning is a request for spec's own ref, which the patch turns into removing the annotation.
      const requestRef = action.kind === 'unpin' ? spec.git.ref : action.requestRef;
      const patch = planRequestAnnotations(event, requestRef, spec.git.ref, now().toISOString());
      try {
        await options.client.request({
          method: 'PATCH',
          path: objectPath({
            apiVersion: API_VERSION,
            plural: Resources.ignitionSyncs,
            namespace: event.namespace,
            name: event.name,
          }),
          body: patch,
        });
      } catch (e: unknown) {
        if (isNotFound(e)) {
          throw new OperatorError(ReceiverReasons.WebhookTargetNotFound, 'webhook target not found', {
            cause: e,
          });
        }
        throw e;
      }
      return action.decision;
    },
  };
}
