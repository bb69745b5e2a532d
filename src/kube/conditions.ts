import { REASON_PATTERN } from '../errors.ts';

/** `metav1.Condition`. */
export interface Condition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
  readonly lastTransitionTime: string;
  readonly observedGeneration?: number;
}

/** What a caller sets; `lastTransitionTime` is decided by {@link setCondition}. */
export type ConditionUpdate = Omit<Condition, 'lastTransitionTime'>;

const TYPE_PATTERN =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/;
const MAX_MESSAGE = 32_768;

/** The problems of a condition against the metav1.Condition validation rules; empty when valid. */
export function validateCondition(c: ConditionUpdate): string[] {
  const problems: string[] = [];
  if (c.type.length > 316 || !TYPE_PATTERN.test(c.type))
    problems.push(`type ${JSON.stringify(c.type)} is not a valid condition type`);
  if (!['True', 'False', 'Unknown'].includes(c.status))
    problems.push(`status must be True, False or Unknown`);
  if (c.reason.length > 1024 || !REASON_PATTERN.test(c.reason))
    problems.push(`reason ${JSON.stringify(c.reason)} must match ${REASON_PATTERN.source}`);
  if (c.message.length > MAX_MESSAGE) problems.push(`message is longer than ${MAX_MESSAGE} characters`);
  return problems;
}

export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** True when the condition of `type` exists and has status True. */
export function isConditionTrue(conditions: readonly Condition[] | undefined, type: string): boolean {
  return findCondition(conditions, type)?.status === 'True';
}

/**
 * Pure port of `meta.SetStatusCondition`: returns a new list with `update` applied. `lastTransitionTime` is `now`
 * for a new condition or a status change and is kept otherwise; other fields are overwritten. Throws a TypeError
 * for an invalid condition (a programming error, the apiserver would reject the status).
 * @example setCondition(obj.status.conditions, {type:'Ready', status:'True', reason:'Synced', message:''}, new Date())
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  update: ConditionUpdate,
  now: Date,
): Condition[] {
  const problems = validateCondition(update);
  if (problems.length > 0) throw new TypeError(`invalid condition: ${problems.join('; ')}`);
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === update.type);
  const existing = i < 0 ? undefined : list[i];
  const lastTransitionTime =
    existing !== undefined && existing.status === update.status
      ? existing.lastTransitionTime
      : formatConditionTime(now);
  const next: Condition = { ...update, lastTransitionTime };
  if (i < 0) list.push(next);
  else list[i] = next;
  return list;
}

/** Returns a new list without the condition of `type`. */
export function removeCondition(conditions: readonly Condition[] | undefined, type: string): Condition[] {
  return (conditions ?? []).filter((c) => c.type !== type);
}

/** Equality ignoring `lastTransitionTime` (metav1 `Condition.Equal` semantics for deciding whether to patch). */
export function conditionsEqual(
  a: readonly Condition[] | undefined,
  b: readonly Condition[] | undefined,
): boolean {
  const x = a ?? [];
  const y = b ?? [];
  if (x.length !== y.length) return false;
  return x.every((c) => {
    const d = findCondition(y, c.type);
    return (
      d !== undefined &&
      d.status === c.status &&
      d.reason === c.reason &&
      d.message === c.message &&
      d.observedGeneration === c.observedGeneration
    );
  });
}

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function formatConditionTime(now: Date): string {
  return `${now.toISOString().slice(0, 19)}Z`;
}
