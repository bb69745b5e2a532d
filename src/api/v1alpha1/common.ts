import { z } from 'zod';
import { withRules } from './rules.ts';

/** Longest path (mapping source/destination, dataDir) we accept; bounds CEL cost in the apiserver. */
export const MAX_PATH_LENGTH = 1024;

/** RFC 1123 subdomain (metadata.name of most kinds, Secret names). */
export const DNS_SUBDOMAIN_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
/** RFC 1123 label (namespaces; names used as label values). */
export const DNS_LABEL_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

export const DnsSubdomainName = z
  .string()
  .min(1, 'must not be empty')
  .max(253, 'must be at most 253 characters')
  .regex(new RegExp(DNS_SUBDOMAIN_PATTERN), 'must be a lowercase RFC 1123 name (a-z, 0-9, "-", ".")');

export const DnsLabelName = z
  .string()
  .min(1, 'must not be empty')
  .max(63, 'must be at most 63 characters')
  .regex(new RegExp(DNS_LABEL_PATTERN), 'must be a lowercase RFC 1123 label (a-z, 0-9, "-")');

/** A key in a Secret (`data` key grammar). */
export const SecretKey = z
  .string()
  .min(1, 'must not be empty')
  .max(253, 'must be at most 253 characters')
  .regex(/^[-._a-zA-Z0-9]+$/, 'must consist of letters, digits, "-", "_" or "."');

/** A key of one Secret in the object's namespace (standalone: `<secrets-dir>/<name>/<key>`). */
export const SecretKeyRef = z.strictObject({
  name: DnsSubdomainName.describe('Name of the Secret, in the same namespace.'),
  key: SecretKey.describe('Key within the Secret.'),
});
export type SecretKeyRef = z.output<typeof SecretKeyRef>;

/** `{secretRef: {name, key}}`, the shape the seed uses for every credential. */
export const SecretRefHolder = z.strictObject({ secretRef: SecretKeyRef });

// Go duration syntax restricted to units that make sense here. CEL's duration() accepts the same strings.
export const DURATION_PATTERN = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';
const DURATION_UNITS_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
export const DURATION_MESSAGE = 'must be a duration like "30s", "5m" or "1h30m" (units ms, s, m, h)';

/** Parses a duration (`"60s"`, `"1h30m"`, `"1.5s"`) to milliseconds; undefined when malformed. */
export function parseDurationMs(text: string): number | undefined {
  if (!new RegExp(DURATION_PATTERN).test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)/g)) {
    total += Number(m[1]) * (DURATION_UNITS_MS[m[2] ?? ''] ?? Number.NaN);
  }
  return Number.isFinite(total) ? total : undefined;
}

/** A duration string of at least `minMs`, enforced by zod and by CEL `duration()` in the CRD. */
export function durationAtLeast(minText: string) {
  const minMs = parseDurationMs(minText) ?? 0;
  return withRules(z.string().max(64).regex(new RegExp(DURATION_PATTERN), DURATION_MESSAGE), [
    {
      message: `must be at least ${minText}`,
      cel: `duration(self) >= duration('${minText}')`,
      check: (v) => (parseDurationMs(v) ?? minMs) >= minMs,
    },
  ]);
}

/** Why a mapping path is not acceptable, or undefined. Paths are relative, `/`-separated, no `..`. */
function isRelativePathWithoutDotDot(p: string): boolean {
  if (p.startsWith('/')) return false;
  return !p.split('/').includes('..');
}

/**
 * A path inside the repository or the data directory: relative, `/`-separated, no `..` segment. `"."`
 * means the root. A trailing `/` is allowed and means the same as without.
 */
export const RelativePath = withRules(
  z
    .string()
    .min(1, 'must not be empty')
    .max(MAX_PATH_LENGTH, `must be at most ${MAX_PATH_LENGTH} characters`)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we reject
    .regex(/^[^\x00-\x1f\\]*$/, 'must not contain control characters or backslashes (use "/")'),
  [
    {
      message: 'must be a relative path without ".."',
      cel: "!self.startsWith('/') && self != '..' && !self.startsWith('../') && !self.endsWith('/..') && !self.contains('/../')",
      check: isRelativePathWithoutDotDot,
    },
  ],
);

/** A glob pattern (`**` spans directories, `*` one segment, trailing `/` = that directory and below). */
export const GlobPattern = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_PATH_LENGTH, `must be at most ${MAX_PATH_LENGTH} characters`)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we reject
  .regex(/^[^\x00-\x1f]*$/, 'must not contain control characters');

/**
 * Object metadata as users write it (and as `kubectl get -o yaml` prints it). Strict: a misspelt field
 * such as `lables` is an error, not silently ignored. Server-populated fields are accepted as they come.
 */
export const ObjectMeta = z.strictObject({
  name: DnsSubdomainName,
  namespace: DnsLabelName.optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  generateName: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().int().optional(),
  creationTimestamp: z.unknown().optional(),
  deletionTimestamp: z.unknown().optional(),
  deletionGracePeriodSeconds: z.number().int().optional(),
  finalizers: z.array(z.string()).optional(),
  ownerReferences: z.array(z.unknown()).optional(),
  managedFields: z.array(z.unknown()).optional(),
  selfLink: z.string().optional(),
});
export type ObjectMeta = z.output<typeof ObjectMeta>;

/** metav1.Condition, with the apiserver's own validation for each field. */
export const Condition = z.strictObject({
  type: z
    .string()
    .max(316)
    .regex(
      /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/,
    )
    .describe('Type of condition in CamelCase.'),
  status: z.enum(['True', 'False', 'Unknown']).describe('Status of the condition: True, False or Unknown.'),
  observedGeneration: z.number().int().min(0).optional(),
  lastTransitionTime: z.iso.datetime({ offset: true }).describe('Last time the condition changed status.'),
  reason: z
    .string()
    .min(1)
    .max(1024)
    .regex(/^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/)
    .describe('CamelCase reason for the last transition.'),
  message: z.string().max(32768).describe('Human readable message about the transition.'),
});
export type Condition = z.output<typeof Condition>;

export const Conditions = z
  .array(Condition)
  .max(32)
  .meta({
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['type'],
  });
