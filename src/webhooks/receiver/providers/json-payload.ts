import type { z } from 'zod';
import type { WebhookRequest } from '../webhook-event.ts';

/** The media type of a Content-Type header: lower-case, parameters dropped; '' when absent. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export type JsonPayloadResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly message: string };

/**
 * Reads the JSON document of a request: the body itself, or the `payload` field of a form-encoded body
 * (GitHub's and Gitea's `application/x-www-form-urlencoded` delivery), then checks it against `schema`.
 * Messages name what is wrong, never the body's content.
 */
export function readJsonPayload<T>(request: WebhookRequest, schema: z.ZodType<T>): JsonPayloadResult<T> {
  let text = request.body.toString('utf8');
  if (mediaTypeOf(request.headers['content-type']) === 'application/x-www-form-urlencoded') {
    const payload = new URLSearchParams(text).get('payload');
    if (payload === null) return { ok: false, message: 'form-encoded body has no payload field' };
    text = payload;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'body is not valid JSON' };
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? 'body' : issue.path.join('.');
    return { ok: false, message: `unexpected payload shape at ${where}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, value: parsed.data };
}

const ZERO_COMMIT = /^0{40}$/;
const FULL_SHA = /^[0-9a-f]{40}$/;

/** A sender-reported commit, when it is a real (non-zero) 40-hex SHA. */
export function reportedCommit(value: string | null | undefined): { commit?: string } {
  if (typeof value !== 'string' || !FULL_SHA.test(value) || ZERO_COMMIT.test(value)) return {};
  return { commit: value };
}

/** True for git's all-zero SHA, which hosts send as the new value of a deleted ref. */
export function isZeroCommit(value: string | null | undefined): boolean {
  return typeof value === 'string' && ZERO_COMMIT.test(value);
}
