import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IgnitionSyncMetrics } from './metrics.ts';

/** The path every ignition-sync process serves its metrics on. */
export const METRICS_PATH = '/metrics';

/** Is this request a `GET`/`HEAD /metrics` (query ignored)? */
export function isMetricsRequest(req: IncomingMessage): boolean {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  return path === METRICS_PATH && (req.method === 'GET' || req.method === 'HEAD');
}

/** Answers with the text exposition format; 500 (no body) if collecting fails. */
export function answerMetrics(metrics: IgnitionSyncMetrics, res: ServerResponse): void {
  metrics.exposition().then(
    ({ contentType, text }) => {
      res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
      res.end(res.req.method === 'HEAD' ? undefined : text);
    },
    () => {
      res.writeHead(500);
      res.end();
    },
  );
}
