import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatJettyErrorPage, JETTY_CONTENT_TYPE } from './jetty-error-page.ts';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, contentType: string, text: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendJetty(res: ServerResponse, status: number, uri: string): void {
  sendText(res, status, JETTY_CONTENT_TYPE, formatJettyErrorPage(status, uri));
}

/** An uncommissioned gateway answers every `/data` route with 302 → /welcome. */
export function sendWelcomeRedirect(res: ServerResponse): void {
  res.writeHead(302, { location: '/welcome', 'content-length': 0 });
  res.end();
}

/** Answers `status` in the body style the real gateway uses for this path (used by fault injection). */
export function sendStatusInRouteStyle(res: ServerResponse, status: number, path: string): void {
  if (status === 302) {
    sendWelcomeRedirect(res);
  } else if (status === 204) {
    res.writeHead(204);
    res.end();
  } else if (path.startsWith('/data/') && status === 404) {
    sendJson(res, 404, { message: `No route match for path: ${path}` });
  } else if (path === '/StatusPing' && status < 300) {
    sendJson(res, status, { state: 'RUNNING' });
  } else {
    sendJetty(res, status, path);
  }
}

/** Reads a request body up to `limit` bytes (larger bodies are cut; the gateway API takes small JSON). */
export async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size <= limit) chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The list envelope `{items, metadata:{total,matching,limit,offset}}` with `limit` (-1 = all) and `offset`. */
export function listEnvelope<T>(items: readonly T[], query: URLSearchParams): unknown {
  const limit = Number(query.get('limit') ?? '100');
  const offset = Math.max(0, Number(query.get('offset') ?? '0') || 0);
  const page = limit < 0 || Number.isNaN(limit) ? items.slice(offset) : items.slice(offset, offset + limit);
  return {
    items: page,
    metadata: {
      total: items.length,
      matching: items.length,
      limit: Number.isNaN(limit) ? 100 : limit,
      offset,
    },
  };
}
