/**
 * The git layer's single redaction point. Every error message and log field that can carry a URL, git
 * output or a command line goes through `redact()` (git-sync `redactURL`, Flux `sanitized.go`).
 *
 * Guarantees:
 * - userinfo is removed from every `scheme://user:pass@host` in the text: the password always, the user
 *   too for http(s) (GitHub and GitLab accept a token as the *user* part);
 * - every known secret value (length >= 4) and its `user:secret` base64 form are masked wherever they
 *   appear, including inside longer words;
 * - `Authorization:` header values (GIT_CURL_VERBOSE / GIT_TRACE output) are masked.
 */
export const REDACTED = '[redacted]';

const MIN_SECRET_LENGTH = 4;
const URL_USERINFO = /\b([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^\s/?#@]*)@/g;
const AUTH_HEADER = /\b((?:proxy-)?authorization:\s*(?:basic|bearer|token)?\s*)\S+/gi;

/** Removes credentials from one URL-shaped string (or from every URL inside a text). */
export function redactUrl(text: string): string {
  return text.replace(URL_USERINFO, (_match, scheme: string, userinfo: string) => {
    const isHttp = /^https?$/i.test(scheme);
    const colon = userinfo.indexOf(':');
    if (isHttp) return `${scheme}://${REDACTED}@`;
    if (colon === -1) return `${scheme}://${userinfo}@`;
    return `${scheme}://${userinfo.slice(0, colon)}:${REDACTED}@`;
  });
}

/** Strips URL credentials, header values and every known secret from `text`. */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = redactUrl(text).replace(AUTH_HEADER, (_m, prefix: string) => `${prefix}${REDACTED}`);
  const values = [...secrets]
    .filter((s) => s.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  for (const value of values) out = out.split(value).join(REDACTED);
  return out;
}

/** The extra forms a token takes on the wire, so they can be masked too. */
export function secretVariants(secret: string, username?: string): string[] {
  const variants = [secret, encodeURIComponent(secret)];
  if (username !== undefined) variants.push(Buffer.from(`${username}:${secret}`).toString('base64'));
  return [...new Set(variants)];
}
