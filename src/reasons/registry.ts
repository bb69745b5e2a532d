import type { ErrorKind } from '../errors.ts';
import { AGENT_REASONS } from './agent.ts';
import { API_REASONS, MANIFEST_REASONS } from './api.ts';
import { CLI_REASONS } from './cli.ts';
import { CONTROLLER_REASONS } from './controller.ts';
import type { ReasonEntry, ReasonKind } from './define-reasons.ts';
import { GATEWAY_REASONS } from './gateway.ts';
import { GATEWAY_SYNC_REASONS } from './gateway-sync.ts';
import { GIT_REASONS } from './git.ts';
import { INJECTION_REASONS } from './injection.ts';
import { KUBE_REASONS } from './kube.ts';
import { RECEIVER_REASONS } from './receiver.ts';
import { STANDALONE_REASONS } from './standalone.ts';
import { SYNC_REASONS } from './sync.ts';

/** Every component's entries, each name defined in exactly one part (checked when this module loads). */
export const REASON_PARTS = {
  api: API_REASONS,
  manifest: MANIFEST_REASONS,
  git: GIT_REASONS,
  sync: SYNC_REASONS,
  gateway: GATEWAY_REASONS,
  gatewaySync: GATEWAY_SYNC_REASONS,
  kube: KUBE_REASONS,
  injection: INJECTION_REASONS,
  receiver: RECEIVER_REASONS,
  standalone: STANDALONE_REASONS,
  controller: CONTROLLER_REASONS,
  cli: CLI_REASONS,
  agent: AGENT_REASONS,
} as const;
export type ReasonPart = keyof typeof REASON_PARTS;

type Parts = typeof REASON_PARTS;
/** Every registered reason name. `OperatorError` takes only these, so an unregistered reason does not compile. */
export type Reason = { [P in ReasonPart]: keyof Parts[P] & string }[ReasonPart];

export interface ReasonInfo extends ReasonEntry {
  readonly name: Reason;
  /** The part file (component) that defines it. */
  readonly part: ReasonPart;
}

/** The registry: every reason by name. */
export const REASONS: { readonly [N in Reason]: ReasonInfo } = merge(REASON_PARTS);

function merge(parts: Readonly<Record<ReasonPart, Readonly<Record<string, ReasonEntry>>>>): {
  readonly [N in Reason]: ReasonInfo;
} {
  const all: Record<string, ReasonInfo> = {};
  for (const [part, entries] of Object.entries(parts) as [
    ReasonPart,
    Readonly<Record<string, ReasonEntry>>,
  ][]) {
    for (const [name, entry] of Object.entries(entries)) {
      const other = all[name];
      if (other !== undefined) {
        throw new Error(`reason ${name} is defined twice (parts ${other.part} and ${part}): keep one entry`);
      }
      all[name] = Object.freeze({ name: name as Reason, part, ...entry });
    }
  }
  return Object.freeze(all) as { readonly [N in Reason]: ReasonInfo };
}

/** The entry of `name`, or undefined when it is not registered (a string that reached us through a cast). */
export function reasonInfo(name: string): ReasonInfo | undefined {
  return isReason(name) ? REASONS[name] : undefined;
}

export function isReason(name: string): name is Reason {
  return Object.hasOwn(REASONS, name);
}

/** The registry's kind of `name` (`none` for reasons that are not failures). Throws for an unregistered name. */
export function kindOf(name: Reason): ReasonKind {
  const info = reasonInfo(name);
  if (info === undefined) throw new TypeError(`unregistered reason ${JSON.stringify(name)}`);
  return info.kind;
}

/**
 * The kind an `OperatorError` gets when its creator does not pass one: the registry's kind, or `transient`
 * for a `none` reason and for an unregistered one (the old default, and Flux's).
 */
export function defaultErrorKind(name: Reason): ErrorKind {
  const kind = reasonInfo(name)?.kind;
  return kind === undefined || kind === 'none' ? 'transient' : kind;
}
