import { z } from 'zod';

/** The `request` of an AdmissionReview v1 (fields the runtime relies on; the rest passes through). */
export const AdmissionRequestSchema = z.looseObject({
  uid: z.string().min(1),
  kind: z.looseObject({ group: z.string(), version: z.string(), kind: z.string() }),
  resource: z.looseObject({ group: z.string(), version: z.string(), resource: z.string() }),
  subResource: z.string().optional(),
  name: z.string().optional(),
  namespace: z.string().optional(),
  operation: z.enum(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']),
  userInfo: z.looseObject({ username: z.string().optional() }).optional(),
  object: z.unknown().optional(),
  oldObject: z.unknown().optional(),
  dryRun: z.boolean().optional(),
});

export type AdmissionRequest = z.infer<typeof AdmissionRequestSchema>;

const AdmissionReviewSchema = z.looseObject({
  apiVersion: z.literal('admission.k8s.io/v1'),
  kind: z.literal('AdmissionReview'),
  request: AdmissionRequestSchema,
});

/** One RFC 6902 operation. */
export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  readonly path: string;
  readonly value?: unknown;
  readonly from?: string;
}

/** What a pure admission handler decides. */
export type AdmissionDecision =
  | {
      readonly allowed: true;
      readonly patch?: readonly JsonPatchOperation[];
      readonly warnings?: readonly string[];
    }
  | { readonly allowed: false; readonly code?: number; readonly message: string; readonly reason?: string };

/** A pure function from request to decision; the server adapter does all HTTP work. */
export type AdmissionHandler = (request: AdmissionRequest) => AdmissionDecision | Promise<AdmissionDecision>;

export interface AdmissionReviewResponse {
  readonly apiVersion: 'admission.k8s.io/v1';
  readonly kind: 'AdmissionReview';
  readonly response: {
    readonly uid: string;
    readonly allowed: boolean;
    readonly status?: { readonly code: number; readonly message: string; readonly reason?: string };
    readonly patchType?: 'JSONPatch';
    readonly patch?: string;
    readonly warnings?: readonly string[];
  };
}

/** Parses an AdmissionReview v1 body; returns the problem as text when it is not one. */
export function parseAdmissionReview(body: unknown): { request: AdmissionRequest } | { error: string } {
  const parsed = AdmissionReviewSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      error: `invalid AdmissionReview: ${issue === undefined ? 'unknown' : `${issue.path.join('.') || '(root)'}: ${issue.message}`}`,
    };
  }
  return { request: parsed.data.request };
}

/** Builds the AdmissionReview v1 response echoing `uid` (JSON patch base64-encoded as the apiserver expects). */
export function toAdmissionResponse(uid: string, decision: AdmissionDecision): AdmissionReviewResponse {
  if (!decision.allowed) {
    const status = {
      code: decision.code ?? 403,
      message: decision.message,
      ...(decision.reason === undefined ? {} : { reason: decision.reason }),
    };
    return {
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid, allowed: false, status },
    };
  }
  const patch = decision.patch !== undefined && decision.patch.length > 0 ? decision.patch : undefined;
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: {
      uid,
      allowed: true,
      ...(patch === undefined
        ? {}
        : { patchType: 'JSONPatch' as const, patch: Buffer.from(JSON.stringify(patch)).toString('base64') }),
      ...(decision.warnings === undefined || decision.warnings.length === 0
        ? {}
        : { warnings: decision.warnings }),
    },
  };
}

/** Escapes one JSON-pointer segment (`~` → `~0`, `/` → `~1`), e.g. for annotation keys. */
export function jsonPointerSegment(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}
