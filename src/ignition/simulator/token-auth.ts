import { createHash, timingSafeEqual } from 'node:crypto';

/** How a simulated gateway knows a token: by name and a hash of its secret (never the secret itself). */
export interface SimToken {
  readonly name: string;
  /** `tokenHash` rule of the real gateway, or sha256 of the raw secret for tokens given by the test. */
  readonly hash: string;
  readonly hashRule: 'tokenHash' | 'sha256';
  readonly grant: 'read' | 'write';
  readonly secureChannelRequired: boolean;
  readonly source: 'options' | 'external' | 'core';
}

/**
 * The gateway's `settings.tokenHash`: unpadded base64url(SHA-256(base64url-decode(secret))). Checked against
 * two public samples (docs ignition-gateway.md §1.1).
 */
export function computeTokenHash(secret: string): string {
  return createHash('sha256').update(Buffer.from(secret, 'base64url')).digest('base64url');
}

function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Parses `name:secret[:read|write]` (the CLI `--token` form). Default grant: write. */
export function parseTokenSpec(spec: string): SimToken {
  const first = spec.indexOf(':');
  if (first <= 0) throw new TypeError('token must be name:secret[:read|write]');
  const name = spec.slice(0, first);
  let secret = spec.slice(first + 1);
  let grant: 'read' | 'write' = 'write';
  const m = /^(.*):(read|write)$/.exec(secret);
  if (m?.[1] !== undefined && m[2] !== undefined) {
    secret = m[1];
    grant = m[2] === 'read' ? 'read' : 'write';
  }
  if (secret.length === 0) throw new TypeError('token must be name:secret[:read|write]');
  return {
    name,
    hash: sha256Hex(secret),
    hashRule: 'sha256',
    grant,
    secureChannelRequired: false,
    source: 'options',
  };
}

export type AuthDecision =
  | { readonly ok: true; readonly tokenName: string }
  | { readonly ok: false; readonly status: 401 | 403; readonly tokenName?: string; readonly why: string };

export interface AuthRequest {
  /** `X-Ignition-API-Token` header value, if any. */
  readonly tokenHeader: string | undefined;
  /** `Authorization` header (Bearer/Basic are always 401 on /data). */
  readonly authorization: string | undefined;
  readonly isSecure: boolean;
  readonly needsWrite: boolean;
  /** After a commissioning reset, security-properties no longer grant any token. */
  readonly commissioningReset: boolean;
}

/** Pure auth rule of `/data/*` routes (docs §1.1): 401 unknown, 403 recognised-but-not-allowed. */
export function authorize(tokens: readonly SimToken[], req: AuthRequest): AuthDecision {
  const header = req.tokenHeader;
  if (header === undefined || header.length === 0) {
    return {
      ok: false,
      status: 401,
      why: req.authorization === undefined ? 'no token' : 'authorization header',
    };
  }
  const colon = header.indexOf(':');
  if (colon <= 0) return { ok: false, status: 401, why: 'not name:secret' };
  const name = header.slice(0, colon);
  const secret = header.slice(colon + 1);
  const token = tokens.find((t) => t.name === name && hashesEqual(t, secret));
  if (token === undefined) return { ok: false, status: 401, why: 'unknown token' };
  if (req.commissioningReset) {
    return { ok: false, status: 403, tokenName: name, why: 'security properties reset by commissioning' };
  }
  if (token.secureChannelRequired && !req.isSecure) {
    return { ok: false, status: 403, tokenName: name, why: 'secure channel required' };
  }
  if (req.needsWrite && token.grant !== 'write') {
    return { ok: false, status: 403, tokenName: name, why: 'write permission missing' };
  }
  return { ok: true, tokenName: name };
}

function hashesEqual(token: SimToken, secret: string): boolean {
  const actual = token.hashRule === 'tokenHash' ? computeTokenHash(secret) : sha256Hex(secret);
  const a = Buffer.from(actual);
  const b = Buffer.from(token.hash);
  return a.length === b.length && timingSafeEqual(a, b);
}
