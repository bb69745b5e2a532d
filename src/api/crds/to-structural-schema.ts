import { z } from 'zod';
import { CEL_META_KEY } from '../v1alpha1/index.ts';

/** A JSON Schema node as z.toJSONSchema emits it and a CRD's openAPIV3Schema holds it. */
export type SchemaNode = { [key: string]: unknown };

/** Meta key marking a zod int-or-string union (Kubernetes quantities); the value is its string pattern. */
export const INT_OR_STRING_META_KEY = 'x-ignition-sync-int-or-string';

// Keywords a structural CRD schema may carry. Anything else zod emits is dropped on purpose (listed below)
// or is a generator bug and throws, so a new zod feature cannot silently change the CRD.
const KEPT = new Set([
  'type',
  'description',
  'properties',
  'required',
  'items',
  'additionalProperties',
  'enum',
  'default',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'maxProperties',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  CEL_META_KEY,
]);
// Dropped: `additionalProperties: false` (structural schemas prune unknown fields instead; strict field
// validation reports them), `propertyNames` (not allowed in CRDs; records check keys with CEL instead).
const DROPPED = new Set(['$schema', 'propertyNames']);
const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

function isNode(v: unknown): v is SchemaNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function intOrString(pattern: string, description: unknown): SchemaNode {
  return {
    ...(typeof description === 'string' ? { description } : {}),
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    pattern,
    'x-kubernetes-int-or-string': true,
  };
}

function assertRe2Compatible(pattern: string, at: string): void {
  // Go's RE2 has no lookaround, backreferences or \u escapes.
  if (/\(\?[=!<]|\\[1-9]|\\u/.test(pattern)) throw new Error(`${at}: pattern not RE2-compatible: ${pattern}`);
}

/** Converts one zod-emitted node (recursively) into a structural-schema node. Throws on anything unknown. */
function convert(node: SchemaNode, at: string): SchemaNode {
  const marker = node[INT_OR_STRING_META_KEY];
  if (typeof marker === 'string') return intOrString(marker, node.description);
  // `type` and `description` first: the generated YAML reads top-down like a hand-written CRD.
  const out: SchemaNode = { type: node.type, description: node.description };
  if (out.description === undefined) delete out.description;
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key) || key === INT_OR_STRING_META_KEY) continue;
    if (key === 'additionalProperties' && value === false) continue;
    if (!KEPT.has(key)) throw new Error(`${at}: unsupported JSON Schema keyword "${key}" in CRD generation`);
    if (key === 'properties' && isNode(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, convert(v as SchemaNode, `${at}.${k}`)]),
      );
    } else if ((key === 'items' || key === 'additionalProperties') && isNode(value)) {
      out[key] = convert(value, `${at}[]`);
    } else if (
      (key === 'minimum' && value === -SAFE_INTEGER) ||
      (key === 'maximum' && value === SAFE_INTEGER)
    ) {
      // zod's int() bounds are JavaScript's safe-integer range: noise in a CRD.
    } else if (key === 'pattern' && node.format === 'date-time') {
      // zod adds its own date-time regex; the apiserver checks `format: date-time` itself.
    } else {
      if (key === 'pattern' && typeof value === 'string') assertRe2Compatible(value, at);
      out[key] = value;
    }
  }
  if (typeof out.type !== 'string') throw new Error(`${at}: every CRD schema node needs a type`);
  return out;
}

/**
 * The CRD (structural, OpenAPI v3) schema of a zod schema: its input shape (fields with defaults are not
 * required), defaults for the apiserver to apply, and the CEL rules attached with `withRules`.
 */
export function toStructuralSchema(schema: z.ZodType): SchemaNode {
  const json = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    reused: 'inline',
    cycles: 'throw',
    unrepresentable: 'throw',
  }) as SchemaNode;
  return convert(json, '$');
}
