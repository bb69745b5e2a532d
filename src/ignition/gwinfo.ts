/**
 * `/system/gwinfo`: an unauthenticated `text/plain` body of semicolon-separated `key=value` pairs, e.g.
 * `ContextStatus=RUNNING;PlatformName=gw;Version=8.3.6;`. Shared by the client (parse) and the simulator
 * (format) so both sides agree on the grammar.
 */
export type GwInfo = Readonly<Record<string, string>>;

/** Parses a gwinfo body. Unknown keys are kept; malformed pairs (no `=`) are ignored. */
export function parseGwInfo(body: string): GwInfo {
  const out: Record<string, string> = {};
  for (const part of body.trim().split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/** Formats pairs in the gateway's order, with the trailing `;` the real gateway sends. */
export function formatGwInfo(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([k, v]) => `${k}=${v};`).join('');
}
