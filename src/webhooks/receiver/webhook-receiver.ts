import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ReceiverReasons } from '../../reasons/index.ts';
import type { WebhookHeaders } from './webhook-event.ts';
import { WebhookHandler, type WebhookHandlerOptions, type WebhookResponse } from './webhook-handler.ts';

/** A node:http request handler. */
export type WebhookRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

function headersOf(req: IncomingMessage): WebhookHeaders {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** Reads the body up to `limit` bytes; resolves undefined (and stops reading) when it is larger. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let isOver = false;
    req.on('data', (chunk: Buffer) => {
      if (isOver) return;
      size += chunk.length;
      if (size > limit) {
        isOver = true;
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!isOver) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, response: WebhookResponse, closeConnection: boolean): void {
  const payload = JSON.stringify(response.body);
  res.writeHead(response.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    'cache-control': 'no-store',
    ...(closeConnection ? { connection: 'close' } : {}),
    ...response.headers,
  });
  res.end(payload);
}

/**
 * The webhook receiver as a node:http request listener: `POST /webhook/{namespace}/{name}`. The standalone
 * runner and the Kubernetes controller serve the same listener with their own `lookupSecret` and
 * `onAccepted`. Every answer is JSON; no answer contains any part of the request body; secrets and
 * signatures are never logged.
 *
 * @example
 * const server = http.createServer(createWebhookReceiver({ lookupSecret, onAccepted, logger }));
 */
export function createWebhookReceiver(options: WebhookHandlerOptions): WebhookRequestListener {
  const handler = new WebhookHandler(options);
  const log = options.logger.child({ component: 'receiver' });
  return (req, res) => {
    const reqId = randomUUID();
    const respond = (response: WebhookResponse, extra: Record<string, unknown> = {}): void => {
      // A body we stopped reading must not be parsed as the next request: close the connection.
      send(res, response, response.status === 413);
      const level = response.status >= 500 ? 'error' : 'info';
      log[level](
        { reqId, status: response.status, error: response.body.error, ...extra },
        'webhook answered',
      );
    };
    const run = async (): Promise<void> => {
      const headers = headersOf(req);
      const pre = handler.preflight(req.method ?? 'GET', req.url ?? '/', headers);
      if (pre.kind === 'respond') {
        req.resume();
        respond(pre.response);
        return;
      }
      const body = await readBody(req, handler.bodyLimitBytes);
      if (body === undefined) {
        respond(handler.tooLarge(), { provider: pre.provider.name });
        return;
      }
      const response = await handler.handleBody(pre.target, pre.provider, headers, body);
      respond(response, {
        provider: pre.provider.name,
        namespace: pre.target.namespace,
        name: pre.target.name,
      });
    };
    run().catch((e: unknown) => {
      log.error({ reqId, err: e }, 'webhook request failed');
      if (!res.headersSent)
        send(
          res,
          { status: 500, body: { error: ReceiverReasons.InternalError, message: 'internal error' } },
          true,
        );
    });
  };
}
