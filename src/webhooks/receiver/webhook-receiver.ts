import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { IgnitionSyncMetrics } from '../../observability/index.ts';
import { ReceiverReasons } from '../../reasons/index.ts';
import type { WebhookHeaders } from './webhook-event.ts';
import { WebhookHandler, type WebhookHandlerOptions, type WebhookResponse } from './webhook-handler.ts';

/** A node:http request handler. */
export type WebhookRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * How much of a refused body (over the limit, or refused before reading) is read and thrown away before
 * the answer, so that the client, still sending, receives the status instead of a reset connection
 * (closing a socket with unread data makes the kernel send a reset). Default 64 MiB.
 */
export const DEFAULT_DISCARD_LIMIT_BYTES = 64 * 1024 * 1024;

export interface WebhookReceiverOptions extends WebhookHandlerOptions {
  readonly discardLimitBytes?: number;
  /** Every answer counts in `ignition_sync_webhook_requests_total{verdict, reason}`. */
  readonly metrics?: IgnitionSyncMetrics | undefined;
}

function errorReasonOf(response: WebhookResponse): string | undefined {
  const error = response.body.error;
  return typeof error === 'string' ? error : undefined;
}

function headersOf(req: IncomingMessage): WebhookHeaders {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/**
 * Reads the rest of a refused request into the void. Resolves `drained` at its end (the answer then goes
 * out on a connection with nothing unread, and closes cleanly), or `over` once more than `limit` bytes
 * were thrown away (the answer goes out and the connection is closed: a client that keeps sending
 * without end does not hold the receiver).
 */
function discardRest(req: IncomingMessage, limit: number): Promise<'drained' | 'over'> {
  if (req.complete) return Promise.resolve('drained');
  return new Promise((resolve) => {
    let seen = 0;
    req.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limit) resolve('over');
    });
    req.on('end', () => resolve('drained'));
    req.on('error', () => resolve('over'));
    req.on('close', () => resolve('over'));
    req.resume();
  });
}

type BodyRead =
  | { readonly kind: 'body'; readonly body: Buffer }
  | { readonly kind: 'too-large'; readonly drained: boolean };

/** Reads the body up to `limit` bytes; past it, stops keeping bytes and discards the rest (bounded). */
function readBody(req: IncomingMessage, limit: number, discardLimit: number): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', reject);
      chunks.length = 0;
      // discardRest never rejects.
      void discardRest(req, discardLimit).then((outcome) =>
        resolve({ kind: 'too-large', drained: outcome === 'drained' }),
      );
    };
    const onEnd = (): void => resolve({ kind: 'body', body: Buffer.concat(chunks) });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });
}

/** How long a closing connection keeps reading what the client still sends, so the answer is not lost. */
const LINGER_MS = 2_000;

/**
 * Closes like a careful HTTP server (a "lingering close"): send FIN after the answer but keep reading (and
 * discarding) what the client is still sending for a moment. Closing a socket with unread input makes the
 * kernel send RST, and a client that receives RST may drop the answer still unread in its buffer — it then
 * sees a reset instead of the 413.
 */
function lingerOnClose(socket: Socket): void {
  socket.destroySoon = () => {
    socket.end();
    socket.resume();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('end', () => socket.destroy());
    socket.once('close', () => clearTimeout(timer));
  };
}

function send(res: ServerResponse, response: WebhookResponse, closeConnection: boolean): void {
  if (closeConnection) lingerOnClose(res.req.socket);
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
 * signatures are never logged. The rest of a refused body (too large, wrong route, method or type) is
 * read and discarded (up to `discardLimitBytes`) before the answer, so the client always receives the
 * status instead of a reset connection.
 *
 * @example
 * const server = http.createServer(createWebhookReceiver({ lookupSecret, onAccepted, logger }));
 */
export function createWebhookReceiver(options: WebhookReceiverOptions): WebhookRequestListener {
  const handler = new WebhookHandler(options);
  const discardLimit = options.discardLimitBytes ?? DEFAULT_DISCARD_LIMIT_BYTES;
  const log = options.logger.child({ component: 'receiver' });
  return (req, res) => {
    const reqId = randomUUID();
    const respond = (
      response: WebhookResponse,
      extra: Record<string, unknown> = {},
      closeConnection = false,
    ): void => {
      send(res, response, closeConnection);
      options.metrics?.recordWebhook(response.status, errorReasonOf(response));
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
        const outcome = await discardRest(req, discardLimit);
        respond(pre.response, {}, outcome === 'over');
        return;
      }
      const read = await readBody(req, handler.bodyLimitBytes, discardLimit);
      if (read.kind === 'too-large') {
        respond(handler.tooLarge(), { provider: pre.provider.name }, !read.drained);
        return;
      }
      const response = await handler.handleBody(pre.target, pre.provider, headers, read.body);
      respond(response, {
        provider: pre.provider.name,
        namespace: pre.target.namespace,
        name: pre.target.name,
      });
    };
    run().catch((e: unknown) => {
      log.error({ reqId, err: e }, 'webhook request failed');
      if (res.headersSent) return;
      send(
        res,
        { status: 500, body: { error: ReceiverReasons.InternalError, message: 'internal error' } },
        true,
      );
      options.metrics?.recordWebhook(500, ReceiverReasons.InternalError);
    });
  };
}
