import type { IncomingMessage, ServerResponse } from 'node:http';
import { sleep } from '../client/backoff.ts';
import { handleDataRoute } from './data-routes.ts';
import {
  readBody,
  sendJetty,
  sendJson,
  sendStatusInRouteStyle,
  sendText,
  sendWelcomeRedirect,
} from './http-responses.ts';
import type { SimulatedGateway } from './simulated-gateway.ts';
import { authorize } from './token-auth.ts';

const DATA_PREFIX = '/data/api/v1/';

export interface GatewayRouteContext {
  readonly isSecure: boolean;
  readonly port: () => number;
}

/** The HTTP adapter of the gateway port: faults → lifecycle → auth → route, with a request log entry each. */
export function createGatewayHandler(gw: SimulatedGateway, ctx: GatewayRouteContext) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(gw, ctx, req, res).catch(() => {
      if (!res.headersSent) sendJetty(res, 500, req.url ?? '/');
      else res.destroy();
    });
  };
}

async function handle(
  gw: SimulatedGateway,
  ctx: GatewayRouteContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://gateway');
  const path = url.pathname;
  const method = (req.method ?? 'GET').toUpperCase();
  let tokenName: string | undefined;
  let faultId: string | undefined;
  res.on('finish', () => {
    gw.logRequest({
      time: Date.now(),
      method,
      path,
      tokenName,
      status: res.statusCode,
      ...(faultId === undefined ? {} : { fault: faultId }),
    });
  });
  const fault = gw.pickFault(method, path);
  if (fault !== undefined) {
    faultId = fault.id;
    const action = fault.action;
    if (action.type === 'reset') {
      gw.logRequest({ time: Date.now(), method, path, tokenName: undefined, status: 0, fault: fault.id });
      req.socket.resetAndDestroy();
      return;
    }
    if (action.type === 'hang') {
      gw.logRequest({ time: Date.now(), method, path, tokenName: undefined, status: 0, fault: fault.id });
      return; // never answered; the socket is destroyed when the listener stops or the simulator closes
    }
    if (action.type === 'status') {
      await readBody(req);
      sendStatusInRouteStyle(res, action.status, path);
      return;
    }
    await sleep(action.ms, gw.closedSignal);
  }
  const body = await readBody(req);
  if (path === '/StatusPing' && method === 'GET') return sendJson(res, 200, gw.statusPing());
  if (path === '/system/gwinfo' && method === 'GET')
    return sendText(res, 200, 'text/plain;charset=utf-8', gw.gwinfoText());
  if (path === '/welcome' && method === 'GET') {
    return sendText(
      res,
      200,
      'text/html;charset=utf-8',
      '<html><head><title>Ignition</title></head><body>Welcome to Ignition: commissioning</body></html>\n',
    );
  }
  if (!path.startsWith('/data/')) return sendJetty(res, 404, path);
  if (gw.lifecycle === 'commissioning') return sendWelcomeRedirect(res);
  if (gw.lifecycle === 'starting') return sendJetty(res, 503, path);
  const decision = authorize(gw.tokens(), {
    tokenHeader: header(req, 'x-ignition-api-token'),
    authorization: header(req, 'authorization'),
    isSecure: ctx.isSecure,
    needsWrite: method !== 'GET' && method !== 'HEAD',
    commissioningReset: gw.commissioningReset,
  });
  if (!decision.ok) {
    tokenName = decision.tokenName;
    return sendJetty(res, decision.status, path);
  }
  tokenName = decision.tokenName;
  const matched = path.startsWith(DATA_PREFIX)
    ? await handleDataRoute(
        gw,
        {
          method,
          segments: path
            .slice(DATA_PREFIX.length)
            .split('/')
            .filter((s) => s !== '')
            .map(decodeURIComponent),
          path,
          query: url.searchParams,
          body,
          tokenName: decision.tokenName,
          port: ctx.port(),
        },
        res,
      )
    : false;
  if (!matched) sendJson(res, 404, { message: `No route match for path: ${path}` });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
