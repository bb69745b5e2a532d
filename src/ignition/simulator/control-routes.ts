import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { SCAN_KINDS, type ScanKind } from '../gateway-types.ts';
import { FaultRuleInputSchema } from './fault-rules.ts';
import { GatewayWriteSchema } from './gateway-writes.ts';
import { readBody, sendJson } from './http-responses.ts';
import type { SimulatedGateway } from './simulated-gateway.ts';

export interface ControlContext {
  readonly setListening: (running: boolean) => Promise<void>;
  readonly isListening: () => boolean;
}

const DesignerSchema = z.object({
  id: z.string().optional(),
  user: z.string().default('designer'),
  project: z.string().default('project'),
  address: z.string().optional(),
  appearAfterMs: z.number().int().min(0).optional(),
  closeAfterMs: z.number().int().min(0).optional(),
});
const LifecycleSchema = z.object({ state: z.enum(['running', 'starting', 'commissioning']) });
const RestartSchema = z.object({
  startingMs: z.number().int().min(0).optional(),
  thenCommissioning: z.boolean().optional(),
});
const ScanBehaviourSchema = z.object({
  durationMs: z.number().int().min(0).optional(),
  stuck: z.boolean().optional(),
});
const HoldLockSchema = z.object({
  actor: z.string().default('other-actor'),
  holdTimeoutS: z.number().min(0).default(60),
});

type Handler = (
  gw: SimulatedGateway,
  body: unknown,
  ctx: ControlContext,
  arg: string | undefined,
) => Promise<unknown> | unknown;

/**
 * Routes of the control port (tests and humans only; never on the gateway port). Every answer is JSON.
 * `KEY` = `METHOD /control/<name>`; `:arg` is the optional last segment.
 */
const ROUTES: Readonly<Record<string, Handler>> = {
  'GET state': (gw, _b, ctx) => ({
    lifecycle: gw.lifecycle,
    listening: ctx.isListening(),
    commissioningReset: gw.commissioningReset,
    deploymentMode: gw.options.deploymentMode,
    modes: gw.modes(),
    tokens: gw.tokens().map((t) => ({
      name: t.name,
      grant: t.grant,
      secureChannelRequired: t.secureChannelRequired,
      source: t.source,
    })),
    designers: gw.designers(),
    locks: Object.fromEntries(SCAN_KINDS.map((k) => [k, gw.scans.getLock(k) ?? null])),
    scans: Object.fromEntries(SCAN_KINDS.map((k) => [k, gw.scans.status(k)])),
    scanDurationMs: gw.scans.scanDurationMs,
  }),
  'GET requests': (gw) => gw.requests,
  'DELETE requests': (gw) => {
    gw.requests.length = 0;
    return { cleared: true };
  },
  'GET scans': (gw) => gw.scans.log,
  'DELETE scans': (gw) => {
    gw.scans.log.length = 0;
    return { cleared: true };
  },
  'POST scans': (gw, _b, _c, arg) => gw.scans.requestScan(kindOf(arg), 'periodic'),
  'GET writes': (gw) => gw.scans.pendingWrites(),
  'GET snapshot': (gw, _b, _c, arg) => gw.snapshot(kindOf(arg)) ?? null,
  'GET tripwires': (gw) => gw.tripwires.check(Date.now()),
  'GET gateway-writes': (gw) => gw.gatewayWrites,
  'POST gateway-writes': (gw, body) => gw.gatewayWrite(GatewayWriteSchema.parse(body)),
  'GET faults': (gw) => gw.faults,
  'POST faults': (gw, body) => gw.addFault(FaultRuleInputSchema.parse(body)),
  'DELETE faults': (gw, _b, _c, arg) => {
    gw.clearFaults(arg);
    return { cleared: arg ?? 'all' };
  },
  'POST designers': (gw, body) => {
    const d = DesignerSchema.parse(body);
    return { id: gw.addDesigner(d) };
  },
  'DELETE designers': (gw, _b, _c, arg) => ({ removed: arg !== undefined && gw.removeDesigner(arg) }),
  'POST lifecycle': (gw, body) => {
    gw.lifecycle = LifecycleSchema.parse(body).state;
    return { lifecycle: gw.lifecycle };
  },
  'POST restart': (gw, body) => {
    const r = RestartSchema.parse(body);
    gw.restart({
      ...(r.startingMs === undefined ? {} : { startingMs: r.startingMs }),
      ...(r.thenCommissioning === undefined ? {} : { thenCommissioning: r.thenCommissioning }),
    }).catch(() => undefined);
    return { lifecycle: gw.lifecycle };
  },
  'POST commission': async (gw, body) => {
    await gw.completeCommissioning({
      reset: z.object({ reset: z.boolean().default(false) }).parse(body).reset,
    });
    return { lifecycle: gw.lifecycle, commissioningReset: gw.commissioningReset };
  },
  'DELETE commissioning-reset': (gw) => {
    gw.commissioningReset = false;
    return { commissioningReset: false };
  },
  'POST listener': async (_gw, body, ctx) => {
    await ctx.setListening(z.object({ running: z.boolean() }).parse(body).running);
    return { listening: ctx.isListening() };
  },
  'POST scan-behaviour': (gw, body) => {
    const b = ScanBehaviourSchema.parse(body);
    if (b.durationMs !== undefined) gw.scans.scanDurationMs = b.durationMs;
    if (b.stuck !== undefined) gw.scans.setStuck(b.stuck);
    return { scanDurationMs: gw.scans.scanDurationMs };
  },
  'POST locks': async (gw, body, _c, arg) => {
    const b = HoldLockSchema.parse(body);
    const attempt = await gw.scans.acquireLock(kindOf(arg), b.actor, 0, b.holdTimeoutS);
    return attempt.status === 200 ? attempt.lock : { status: attempt.status };
  },
  'DELETE locks': (gw, _b, _c, arg) => {
    gw.scans.releaseLock(kindOf(arg));
    return { released: arg };
  },
};

function kindOf(arg: string | undefined): ScanKind {
  if (arg === 'config' || arg === 'projects') return arg;
  throw new z.ZodError([
    { code: 'custom', path: ['kind'], message: 'kind must be config or projects', input: arg },
  ]);
}

/** The HTTP adapter of the control port. */
export function createControlHandler(gw: SimulatedGateway, ctx: ControlContext) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://control');
    const [prefix, name, arg, extra] = url.pathname.split('/').filter((s) => s !== '');
    const handler =
      prefix === 'control' && name !== undefined && extra === undefined
        ? ROUTES[`${req.method} ${name}`]
        : undefined;
    if (handler === undefined) {
      sendJson(res, 404, {
        message: `no control route ${req.method} ${url.pathname}`,
        routes: Object.keys(ROUTES),
      });
      return;
    }
    readBody(req)
      .then(async (text) => {
        const body: unknown = text.trim() === '' ? {} : JSON.parse(text);
        sendJson(
          res,
          200,
          await handler(gw, body, ctx, arg === undefined ? undefined : decodeURIComponent(arg)),
        );
      })
      .catch((e: unknown) => {
        const status = e instanceof z.ZodError || e instanceof SyntaxError ? 400 : 500;
        sendJson(res, status, { message: e instanceof Error ? e.message : String(e) });
      });
  };
}
