import type { ErrorKind } from '../errors.ts';

/**
 * What the caller does next when this reason is an error (`ErrorKind`, see src/errors.ts), or `none`: the
 * reason is not a failure. `none` covers success and progress reasons (`Succeeded`, `AllSynced`, `Paused`)
 * and the receiver's HTTP-only answers (`Unauthorized`, `NotFound`, ...). An `OperatorError` built with a
 * `none` reason and no explicit kind gets `transient`.
 */
export type ReasonKind = ErrorKind | 'none';

/**
 * The condition types a reason is written to (metav1.Condition.reason), as the controller will write them:
 * the values of `ConditionTypes` in src/api/v1alpha1/conditions.ts (a test in src/api keeps the two lists
 * equal), plus `none` for reasons that are never a condition reason (logs, HTTP answers, exit messages).
 * Failures name their most specific condition; `Ready` mirrors it, and a stalling reason also sets
 * `Stalled=True`. Per-gateway reasons (`AllGatewaysSynced`) are also each gateway's `reason` in
 * `status.discoveredGateways[]` and in the standalone runner's report.
 */
export const REASON_CONDITIONS = [
  'Ready',
  'RefResolved',
  'AllGatewaysSynced',
  'PendingApproval',
  'RateLimited',
  'Stalled',
  'Reconciling',
  'HostKeyVerificationDisabled',
  'Accepted',
  'none',
] as const;
export type ReasonCondition = (typeof REASON_CONDITIONS)[number];

/** One registered reason. Its name is the key it is defined under (CamelCase, `REASON_PATTERN`). */
export interface ReasonEntry {
  readonly kind: ReasonKind;
  readonly condition: ReasonCondition;
  /** One line without `|` (it is a cell of the README table). */
  readonly meaning: string;
}

/** Declares a component's reasons; the keys are the names. Keeps the literal types for the name unions. */
export function defineReasons<const T extends Readonly<Record<string, ReasonEntry>>>(entries: T): T {
  return entries;
}

/** `{ Name: 'Name', ... }` for a component's entries: the constant objects call sites use (`GitReasons.X`). */
export type ReasonNames<T> = { readonly [K in keyof T & string]: K };

export function namesOf<T extends Readonly<Record<string, ReasonEntry>>>(entries: T): ReasonNames<T> {
  const names: Record<string, string> = {};
  for (const name of Object.keys(entries)) names[name] = name;
  return names as ReasonNames<T>;
}
