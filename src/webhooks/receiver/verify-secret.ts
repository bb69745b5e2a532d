import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time equality of two byte strings of any length. Both sides are hashed to 32 bytes first so
 * `timingSafeEqual` always compares equal-length buffers and the time does not depend on where (or whether)
 * the inputs differ, nor on the length of the secret.
 */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  // The hash comparison alone decides; the length check adds nothing an attacker can time.
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/** Lower-case hex HMAC-SHA256 of `body` under `key`. */
export function hmacSha256Hex(key: Buffer, body: Buffer): string {
  return createHmac('sha256', key).update(body).digest('hex');
}

/**
 * Checks a hex HMAC-SHA256 signature header value. `prefix` is the scheme marker the sender puts in front
 * (`sha256=` for GitHub, Bitbucket and Flux's generic-hmac, none for Gitea/Forgejo). Hex case is ignored.
 */
export function verifyHmacSha256(options: {
  readonly key: Buffer;
  readonly body: Buffer;
  readonly header: string | undefined;
  readonly prefix: string;
}): boolean {
  const expected = Buffer.from(`${options.prefix}${hmacSha256Hex(options.key, options.body)}`, 'utf8');
  // Always compute and compare, even without a header: the work done must not depend on the input.
  const provided = Buffer.from((options.header ?? '').trim().toLowerCase(), 'utf8');
  return constantTimeEqual(expected, provided) && options.header !== undefined;
}

/** Checks a shared token sent as-is (GitLab's X-Gitlab-Token, a bearer token). */
export function verifyToken(key: Buffer, provided: string | undefined): boolean {
  return constantTimeEqual(key, Buffer.from(provided ?? '', 'utf8')) && provided !== undefined;
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  return match?.[1];
}

const WHSEC_PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The HMAC key of a Standard Webhooks secret: the spec serialises secrets as `whsec_<base64>` (GitLab's
 * signing token has that form), and the key is the decoded bytes. Any other value is its own bytes, so the
 * one webhook secret serves as bearer token, hex-HMAC key and Standard Webhooks key alike.
 */
export function standardWebhooksKey(secret: Buffer): Buffer {
  const text = secret.toString('utf8');
  if (!text.startsWith(WHSEC_PREFIX)) return secret;
  const encoded = text.slice(WHSEC_PREFIX.length);
  if (encoded.length === 0 || !BASE64.test(encoded)) return secret;
  return Buffer.from(encoded, 'base64');
}

/** The three Standard Webhooks headers, when all are present. */
export interface StandardWebhooksHeaders {
  readonly id: string;
  readonly timestamp: string;
  readonly signature: string;
}

/** `webhook-id`, `webhook-timestamp`, `webhook-signature`, or undefined unless all three are sent. */
export function standardWebhooksHeaders(
  headers: Readonly<Record<string, string | undefined>>,
): StandardWebhooksHeaders | undefined {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signature = headers['webhook-signature'];
  if (id === undefined || timestamp === undefined || signature === undefined) return undefined;
  return { id, timestamp, signature };
}

/**
 * True when the request carries a Standard Webhooks signature: that scheme, and only it, then applies
 * (`webhook-id` alone is only an idempotency key some senders add beside a bearer token).
 */
export function hasStandardWebhooksHeader(headers: Readonly<Record<string, string | undefined>>): boolean {
  return headers['webhook-signature'] !== undefined;
}

/**
 * Verifies a Standard Webhooks signature (https://www.standardwebhooks.com, GitLab's signing token):
 * `webhook-signature` holds one or more space-separated `v1,<base64 HMAC-SHA256>` entries over
 * `<webhook-id>.<webhook-timestamp>.<raw body>`; one match authenticates. Every `v1` entry is compared
 * (constant time each), so the time depends only on how many entries were sent. Entries of other versions
 * (`v1a,` asymmetric) are skipped. The timestamp window is checked separately (`timestampSkewSeconds`).
 */
export function verifyStandardWebhooks(options: {
  readonly key: Buffer;
  readonly body: Buffer;
  readonly headers: StandardWebhooksHeaders | undefined;
}): boolean {
  const h = options.headers ?? { id: '', timestamp: '', signature: '' };
  const expected = createHmac('sha256', standardWebhooksKey(options.key))
    .update(`${h.id}.${h.timestamp}.`)
    .update(options.body)
    .digest();
  let isMatch = false;
  // At most 8 entries: a sender rotating keys sends two or three; more is not a real sender.
  for (const entry of h.signature
    .split(' ')
    .filter((e) => e !== '')
    .slice(0, 8)) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    const provided = Buffer.from(entry.slice(comma + 1), 'base64');
    if (constantTimeEqual(expected, provided)) isMatch = true;
  }
  return isMatch && options.headers !== undefined;
}

/**
 * Seconds between a Standard Webhooks `webhook-timestamp` (integer Unix seconds) and `nowMs`: positive in
 * the past, negative in the future; undefined when the header is not an integer.
 */
export function timestampSkewSeconds(timestamp: string, nowMs: number): number | undefined {
  if (!/^\d{1,12}$/.test(timestamp.trim())) return undefined;
  return Math.floor(nowMs / 1000) - Number(timestamp.trim());
}
