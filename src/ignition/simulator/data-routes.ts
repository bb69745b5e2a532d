import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { SCAN_KINDS, type ScanKind } from '../gateway-types.ts';
import { listEnvelope, sendJson } from './http-responses.ts';
import type { SimulatedGateway } from './simulated-gateway.ts';

/** One authorised `/data/api/v1/*` request, already past lifecycle and auth checks. */
export interface DataRequest {
  readonly method: string;
  /** Path after `/data/api/v1/`, split on `/`. */
  readonly segments: readonly string[];
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: string;
  readonly tokenName: string;
  readonly port: number;
}

const LockBodySchema = z.object({
  acquireTimeout: z.number().min(0).default(10),
  holdTimeout: z.number().min(0).default(60),
});

const ModeBodySchema = z.object({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
});

/** Dispatches an authorised data route. Returns false when no route matches (caller answers 404). */
export async function handleDataRoute(
  gw: SimulatedGateway,
  req: DataRequest,
  res: ServerResponse,
): Promise<boolean> {
  const [head, a, b, c, ...rest] = req.segments;
  const m = req.method;
  if (head === 'gateway-info' && a === undefined && m === 'GET') {
    sendJson(res, 200, gw.gatewayInfo(req.port));
    return true;
  }
  if (head === 'scan' && isKind(a) && b === undefined) return scanRoute(gw, a, m, res);
  if (head === 'scan-lock' && isKind(a) && b === undefined && gw.options.scanLockSupported) {
    return lockRoute(gw, a, req, res);
  }
  if (head === 'designers' && a === undefined && m === 'GET') {
    sendJson(res, 200, listEnvelope(designerItems(gw), req.query));
    return true;
  }
  if (head === 'designer' && a !== undefined && b === undefined) return designerRoute(gw, a, m, res);
  if (head === 'mode' && a === undefined) return modeRoute(gw, req, res);
  if (head === 'projects' && m === 'GET') return projectsRoute(gw, a, b, req, res);
  if (head === 'resources' && m === 'GET' && a !== undefined && b !== undefined && c !== undefined) {
    return resourcesRoute(gw, { op: a, module: b, type: c, name: rest.join('/') }, req, res);
  }
  if (head === 'restart-tasks' && a === 'pending' && m === 'GET') {
    sendJson(res, 200, { pending: [] });
    return true;
  }
  if (head === 'restart-tasks' && a === 'restart' && m === 'POST') {
    if (req.query.get('confirm') !== 'true') {
      sendJson(res, 400, { message: 'confirm=true is required', url: req.path, status: 400 });
      return true;
    }
    sendJson(res, 200, true);
    gw.restart().catch(() => undefined);
    return true;
  }
  if (head === 'openapi.json' || (head === 'openapi' && a === undefined)) {
    sendJson(res, 200, {
      openapi: '3.0.1',
      info: { title: 'Ignition Gateway API (simulated subset)', version: gw.options.ignitionVersion },
      paths: {},
    });
    return true;
  }
  return false;
}

function isKind(v: string | undefined): v is ScanKind {
  return v !== undefined && (SCAN_KINDS as readonly string[]).includes(v);
}

function scanRoute(gw: SimulatedGateway, kind: ScanKind, method: string, res: ServerResponse): boolean {
  if (method === 'POST') sendJson(res, 200, gw.scans.requestScan(kind, 'api'));
  else if (method === 'GET') sendJson(res, 200, gw.scans.status(kind));
  else return false;
  return true;
}

async function lockRoute(
  gw: SimulatedGateway,
  kind: ScanKind,
  req: DataRequest,
  res: ServerResponse,
): Promise<boolean> {
  if (req.method === 'GET') {
    const lock = gw.scans.getLock(kind);
    if (lock === undefined) {
      res.writeHead(204);
      res.end();
    } else sendJson(res, 200, lock);
    return true;
  }
  if (req.method !== 'POST') return false;
  let parsed: z.infer<typeof LockBodySchema> | undefined;
  try {
    const r = LockBodySchema.safeParse(req.body.trim() === '' ? {} : JSON.parse(req.body));
    parsed = r.success ? r.data : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined) {
    sendJson(res, 400, { message: 'Unable to parse request body', url: req.path, status: 400 });
    return true;
  }
  const attempt = await gw.scans.acquireLock(kind, req.tokenName, parsed.acquireTimeout, parsed.holdTimeout);
  if (attempt.status === 200) sendJson(res, 200, attempt.lock);
  else if (attempt.status === 408)
    sendJson(res, 408, { message: 'Timed out waiting for scan lock', url: req.path, status: 408 });
  else sendJson(res, 409, { message: 'Scan lock already held', url: req.path, status: 409 });
  return true;
}

function designerItems(gw: SimulatedGateway): unknown[] {
  const now = Date.now();
  return gw.designers().map((d) => ({
    id: d.id,
    user: d.user,
    project: d.project,
    address: d.address,
    timezone: 'UTC',
    uptime: now - d.openedAt,
    lastcomm: 0,
    timeout: 60_000,
    memory: { used: 256_000_000, max: 1_024_000_000 },
  }));
}

function designerRoute(gw: SimulatedGateway, id: string, method: string, res: ServerResponse): boolean {
  const item = designerItems(gw).find((d) => (d as { id: string }).id === id);
  if (method === 'GET') {
    if (item === undefined) sendJson(res, 404, { message: `No designer session ${id}`, status: 404 });
    else sendJson(res, 200, item);
    return true;
  }
  if (method === 'DELETE') {
    if (gw.removeDesigner(id)) sendJson(res, 200, { message: `Designer session ${id} closed` });
    else sendJson(res, 404, { message: `No designer session ${id}`, status: 404 });
    return true;
  }
  return false;
}

function modeRoute(gw: SimulatedGateway, req: DataRequest, res: ServerResponse): boolean {
  if (req.method === 'GET') {
    sendJson(res, 200, listEnvelope(gw.modes(), req.query));
    return true;
  }
  if (req.method !== 'POST') return false;
  let body: z.infer<typeof ModeBodySchema> | undefined;
  try {
    const r = ModeBodySchema.safeParse(JSON.parse(req.body));
    body = r.success ? r.data : undefined;
  } catch {
    body = undefined;
  }
  if (
    body === undefined ||
    !/^[A-Za-z0-9_-]+$/.test(body.name) ||
    ['core', 'external', 'local', 'system'].includes(body.name)
  ) {
    sendJson(res, 400, { message: 'Illegal mode name', url: req.path, status: 400 });
    return true;
  }
  if (gw.modes().some((x) => x.name === body.name)) {
    sendJson(res, 409, { message: `Mode ${body.name} already exists`, url: req.path, status: 409 });
    return true;
  }
  gw.createdModes.set(body.name, {
    name: body.name,
    title: body.title ?? body.name,
    description: body.description ?? '',
  });
  sendJson(res, 200, { name: body.name });
  return true;
}

function projectsRoute(
  gw: SimulatedGateway,
  op: string | undefined,
  name: string | undefined,
  req: DataRequest,
  res: ServerResponse,
): boolean {
  const projects = Object.values(gw.snapshot('projects')?.projects ?? {});
  if (op === 'names' && name === undefined)
    sendJson(
      res,
      200,
      listEnvelope(
        projects.map((p) => p.name),
        req.query,
      ),
    );
  else if (op === 'list' && name === undefined) sendJson(res, 200, listEnvelope(projects, req.query));
  else if (op === 'find' && name !== undefined) {
    const p = projects.find((x) => x.name === name);
    if (p === undefined)
      sendJson(res, 404, { message: `Project ${name} not found`, url: req.path, status: 404 });
    else sendJson(res, 200, p);
  } else return false;
  return true;
}

function resourcesRoute(
  gw: SimulatedGateway,
  q: { op: string; module: string; type: string; name: string },
  req: DataRequest,
  res: ServerResponse,
): boolean {
  const collection = req.query.get('collection') ?? 'core';
  const all = Object.values(gw.snapshot('config')?.resources ?? {}).filter(
    (r) => r.collection === collection && r.module === q.module && r.type === q.type,
  );
  const record = (r: (typeof all)[number]) => ({
    name: r.name,
    collection: r.collection,
    module: r.module,
    type: r.type,
    signature: r.signature,
    files: r.files,
  });
  const notFound = (): void => {
    sendJson(res, 404, {
      message: `Resource ${q.module}/${q.type}/${q.name} not found`,
      url: req.path,
      status: 404,
    });
  };
  if (q.op === 'list' && q.name === '')
    sendJson(res, 200, listEnvelope(all.filter((r) => r.name !== '').map(record), req.query));
  else if (q.op === 'names' && q.name === '')
    sendJson(
      res,
      200,
      listEnvelope(
        all.filter((r) => r.name !== '').map((r) => r.name),
        req.query,
      ),
    );
  else if (q.op === 'find' && q.name !== '') {
    const r = all.find((x) => x.name === q.name);
    if (r === undefined) notFound();
    else sendJson(res, 200, record(r));
  } else if (q.op === 'singleton' && q.name === '') {
    const r = all.find((x) => x.name === '');
    if (r === undefined) notFound();
    else sendJson(res, 200, record(r));
  } else return false;
  return true;
}
