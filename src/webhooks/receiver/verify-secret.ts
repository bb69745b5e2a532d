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
 * (`sha256=` for GitHub and Bitbucket, none for Gitea/Forgejo). Hex case is ignored.
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
