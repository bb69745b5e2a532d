import type { IgnitionSync } from '../../api/index.ts';
import type { AdmissionDecision, AdmissionHandler, AdmissionRequest } from '../../kube/index.ts';
import type { Logger } from '../../observability/index.ts';
import { InjectionReasons } from '../../reasons/index.ts';
import { DEFAULT_AGENT_IMAGE } from './agent-image.ts';
import { planInjection } from './plan-injection.ts';
import { asPod } from './pod.ts';

export interface InjectionHandlerOptions {
  /** The IgnitionSync of that namespace and name, from the controller's informer cache (no API call). */
  lookupIgnitionSync(namespace: string, name: string): IgnitionSync | undefined;
  readonly logger: Logger;
  /** Agent image when the IgnitionSync names none; default {@link DEFAULT_AGENT_IMAGE}. */
  readonly defaultImage?: string;
}

const ALLOW: AdmissionDecision = { allowed: true };

function isPodCreate(req: AdmissionRequest): boolean {
  return (
    req.operation === 'CREATE' &&
    req.kind.group === '' &&
    req.kind.kind === 'Pod' &&
    (req.subResource === undefined || req.subResource === '')
  );
}

/**
 * The mutating admission handler served at `ControllerPaths.injectAgent`: injects the sync agent into pods
 * annotated `ignition-sync.io/inject: "true"` (see README.md). It never denies: every other pod, and an
 * annotated pod whose sync is misconfigured, is admitted (the latter with a warning and the
 * `injection-skipped` annotation).
 */
export function createInjectionHandler(options: InjectionHandlerOptions): AdmissionHandler {
  const defaultImage = options.defaultImage ?? DEFAULT_AGENT_IMAGE;
  const log = options.logger;
  return (req) => {
    if (!isPodCreate(req)) return ALLOW;
    const pod = asPod(req.object);
    if (pod === undefined) return ALLOW;
    const namespace = req.namespace ?? pod.metadata?.namespace ?? 'default';
    let plan: ReturnType<typeof planInjection>;
    try {
      plan = planInjection({
        pod,
        namespace,
        lookupIgnitionSync: (ns, name) => options.lookupIgnitionSync(ns, name),
        defaultImage,
      });
    } catch (e: unknown) {
      // An answer with allowed:false is a denial whatever the failurePolicy says (that applies only to calls
      // that fail), so a bug here must not stop a gateway pod: admit it without the agent.
      const message = e instanceof Error ? e.message : String(e);
      log.error({ namespace, uid: req.uid, err: e }, `sync agent not injected: injection failed: ${message}`);
      return { allowed: true, warnings: [`ignition-sync: injection failed: ${message}`] };
    }
    const podName =
      pod.metadata?.name ?? (pod.metadata?.generateName === undefined ? '' : `${pod.metadata.generateName}*`);
    const fields = { namespace, pod: podName, uid: req.uid, dryRun: req.dryRun === true };
    switch (plan.action) {
      case 'none':
        if (plan.why === 'already-injected') log.debug(fields, 'sync agent already injected');
        return ALLOW;
      case 'inject':
        log.info(
          { ...fields, ignitionSync: plan.ignitionSync, reason: InjectionReasons.AgentInjected },
          'sync agent injected',
        );
        return { allowed: true, patch: plan.patch };
      case 'skip':
        log.warn({ ...fields, reason: plan.reason }, `sync agent not injected: ${plan.message}`);
        return {
          allowed: true,
          patch: plan.patch,
          warnings: [`ignition-sync: ${plan.reason}: ${plan.message}`],
        };
    }
  };
}
