import type { IncomingMessage, ServerResponse } from 'node:http';

/** A named readiness or liveness check; `true` means healthy. Checks must be cheap and synchronous. */
export type HealthCheck = () => boolean;

export interface HealthChecks {
  /** `/healthz`: the process is alive and should not be restarted. */
  readonly liveness: Readonly<Record<string, HealthCheck>>;
  /** `/readyz`: the replica can serve (caches synced, webhook listening). */
  readonly readiness: Readonly<Record<string, HealthCheck>>;
}

export interface HealthResponse {
  readonly code: 200 | 404 | 500 | 503;
  readonly body: string;
}

function run(
  checks: Readonly<Record<string, HealthCheck>>,
  failCode: 500 | 503,
  verbose: boolean,
): HealthResponse {
  const lines: string[] = [];
  let ok = true;
  for (const [name, check] of Object.entries(checks)) {
    let healthy = false;
    try {
      healthy = check();
    } catch {
      healthy = false;
    }
    ok &&= healthy;
    lines.push(`[${healthy ? '+' : '-'}]${name} ${healthy ? 'ok' : 'failed'}`);
  }
  const summary = ok ? 'ok' : `${lines.filter((l) => l.startsWith('[-]')).length} check(s) failed`;
  return { code: ok ? 200 : failCode, body: verbose || !ok ? `${lines.join('\n')}\n${summary}\n` : 'ok' };
}

/**
 * Pure: the answer to a health probe path, in the apiserver's `/readyz?verbose` style. `/healthz` failing is
 * 500 (restart me), `/readyz` failing is 503 (do not route to me yet).
 */
export function evaluateHealth(checks: HealthChecks, url: string): HealthResponse {
  const parsed = new URL(url, 'http://localhost');
  const verbose = parsed.searchParams.has('verbose');
  if (parsed.pathname === '/healthz' || parsed.pathname === '/livez')
    return run(checks.liveness, 500, verbose);
  if (parsed.pathname === '/readyz') return run(checks.readiness, 503, verbose);
  return { code: 404, body: 'not found\n' };
}

/** node:http adapter for {@link evaluateHealth}. */
export function createHealthHandler(
  checks: HealthChecks,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const { code, body } = evaluateHealth(checks, req.url ?? '/');
    res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body);
  };
}
