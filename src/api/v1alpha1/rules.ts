import type { z } from 'zod';

/**
 * A validation rule that a structural schema cannot express, written once and enforced twice: by zod (in
 * `validate`, standalone mode and the controller) and by the apiserver as a CEL `x-kubernetes-validations`
 * rule in the generated CRD. The two must agree; the CRD tests check both sides on the same documents.
 */
export interface CrossFieldRule<T> {
  /** What is wrong, as a user reads it after the path (`must be a relative path without ".."`). */
  readonly message: string;
  /** The same rule in CEL over `self` (Kubernetes CEL libraries: strings ext, lists). */
  readonly cel: string;
  /** Field the message is about, relative to the object the rule sits on (e.g. ['secretRef']). */
  readonly fieldPath?: readonly string[];
  /** Returns true when `value` satisfies the rule. */
  readonly check: (value: T) => boolean;
}

export interface CelValidation {
  readonly rule: string;
  readonly message: string;
  readonly fieldPath?: string;
}

/** Meta key under which CEL rules travel from a zod schema to the CRD generator. */
export const CEL_META_KEY = 'x-kubernetes-validations';

/** Attaches `rules` to `schema`: zod checks now, CEL rules in the generated CRD. */
export function withRules<S extends z.ZodType>(schema: S, rules: readonly CrossFieldRule<z.output<S>>[]): S {
  const cel: CelValidation[] = rules.map((r) =>
    r.fieldPath === undefined
      ? { rule: r.cel, message: r.message }
      : { rule: r.cel, message: r.message, fieldPath: `.${r.fieldPath.join('.')}` },
  );
  const checked = schema.superRefine((value, ctx) => {
    for (const r of rules) {
      if (!r.check(value)) {
        ctx.addIssue({ code: 'custom', message: r.message, path: [...(r.fieldPath ?? [])], input: value });
      }
    }
  });
  const existing = checked.meta()?.[CEL_META_KEY];
  const previous = Array.isArray(existing) ? (existing as CelValidation[]) : [];
  return checked.meta({ ...checked.meta(), [CEL_META_KEY]: [...previous, ...cel] }) as S;
}
