import type { z } from 'zod';

/** One problem in one document, located by file, document and field path. */
export interface ValidationIssue {
  /** File name (or the `sourceName` given to parseManifests). */
  readonly source: string;
  /** 0-based index of the YAML document in the file; -1 when the whole input is affected. */
  readonly documentIndex: number;
  readonly kind?: string;
  readonly name?: string;
  /** Field path like `spec.mappings[2].source`; empty for the document as a whole. */
  readonly path: string;
  readonly message: string;
  /** 1-based line of the offending node, when known. */
  readonly line?: number;
}

export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Formats a path as users write it: `spec.mappings[2].source`, `metadata.labels["app.kubernetes.io/name"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENTIFIER.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** `path: message`, or just the message for a whole-document issue. */
export function formatIssue(issue: Pick<ValidationIssue, 'path' | 'message'>): string {
  return issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`;
}

function describeType(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  return typeof input;
}

/**
 * Error map for zod parses of manifests: short, lowercase messages that read well after a path.
 * Messages set on the schema itself take precedence over these.
 */
export const manifestErrorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return 'required';
      return `must be ${iss.expected === 'array' || iss.expected === 'object' ? 'an' : 'a'} ${iss.expected === 'int' ? 'integer' : iss.expected}, got ${describeType(iss.input)}`;
    case 'too_small':
      if (iss.origin === 'array') return `must have at least ${iss.minimum} item(s)`;
      if (iss.origin === 'string') return `must be at least ${iss.minimum} character(s)`;
      return `must be ${iss.inclusive ? 'at least' : 'greater than'} ${iss.minimum}`;
    case 'too_big':
      if (iss.origin === 'array') return `must have at most ${iss.maximum} item(s)`;
      if (iss.origin === 'string') return `must be at most ${iss.maximum} character(s)`;
      return `must be ${iss.inclusive ? 'at most' : 'less than'} ${iss.maximum}`;
    case 'invalid_value':
      return `must be ${iss.values.length === 1 ? JSON.stringify(iss.values[0]) : `one of ${iss.values.join(', ')}`}`;
    case 'invalid_format':
      if (iss.format === 'datetime') return 'must be an RFC 3339 date-time';
      if (iss.format === 'regex') return `must match ${iss.pattern ?? 'the required pattern'}`;
      return `must be a valid ${iss.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(iss.divisor)}`;
    case 'invalid_union':
      return 'does not match any allowed form';
    default:
      return undefined;
  }
};

/** Turns zod issues into ValidationIssues (one per unknown field) with formatted paths. */
export function fromZodIssues(
  issues: readonly z.core.$ZodIssue[],
  base: Omit<ValidationIssue, 'path' | 'message'>,
): { path: PathSegment[]; issue: ValidationIssue }[] {
  const out: { path: PathSegment[]; issue: ValidationIssue }[] = [];
  for (const iss of issues) {
    const path = iss.path.filter((p): p is PathSegment => typeof p !== 'symbol');
    if (iss.code === 'unrecognized_keys') {
      for (const key of iss.keys) {
        const p = [...path, key];
        out.push({ path: p, issue: { ...base, path: formatPath(p), message: 'unknown field' } });
      }
    } else {
      out.push({ path, issue: { ...base, path: formatPath(path), message: iss.message } });
    }
  }
  return out;
}
