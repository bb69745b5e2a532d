import { execFile } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { parse } from 'yaml';
import { IgnitionSync } from '../../src/api/index.ts';
import { createSilentLogger } from '../../src/observability/index.ts';
import { createWebhookReceiver, decideWebhookAction, type WebhookEvent } from '../../src/webhooks/index.ts';
import { type DocBlock, readDocBlocks } from './doc-blocks.ts';
import { buildDocRender } from './doc-render.ts';

// What the test/e2e/integration-docs*.test.ts files share: the fenced blocks of docs/integrations, the
// doc-render binary, and the real webhook receiver over HTTP keyed with the docs' own webhook secret for the
// docs' IgnitionSync, deciding each delivery with decideWebhookAction (the runner's and controller's rule).
// curl runs for real; the in-cluster Service name is pointed at the test receiver with curl's `connect-to`
// (what cluster DNS does).

const DOCS = join(import.meta.dirname, '../../docs/integrations');
const FILES = ['README.md', 'argocd.md', 'kargo.md', 'git-hosting.md', 'ignition-helm-chart.md'];
/** The receiver Service the docs call. */
export const SERVICE = 'ignition-sync-webhook.ignition-sync-system.svc:8443';
export const SHA = '4f1c2b3a4d5e6f708192a3b4c5d6e7f8091a2b3c';

export type Obj = Record<string, unknown>;
/** A Secret written with `stringData`. */
export interface WithStringData {
  stringData: Record<string, string>;
}
export interface SentRequest {
  readonly method: string;
  /** Absolute URL as the sender has it; only its path (and query) reaches the test receiver. */
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}
export interface DocsContext {
  /** The doc-render binary (testenv/doc-render). */
  readonly render: string;
  /** The webhook secret's value, from docs/integrations/README.md. */
  readonly key: string;
  /** The IgnitionSync of docs/integrations/README.md. */
  readonly igs: IgnitionSync;
}

const blocks = new Map<string, DocBlock>();
/** Every delivery the receiver authenticated in the current test, with the ref it decided (undefined: ignored). */
export const accepted: { event: WebhookEvent; ref: string | undefined }[] = [];
let server: Server | undefined;
let port = 0;
let tmp: string | undefined;
let context: DocsContext | undefined;

export const blockIds = (): string[] => [...blocks.keys()];
export const allBlocks = (): DocBlock[] => [...blocks.values()];
export function block(id: string): DocBlock {
  const b = blocks.get(id);
  if (b === undefined) throw new Error(`docs/integrations has no block ${id}`);
  return b;
}
export const yamlOf = <T = Obj>(id: string): T => parse(block(id).text) as T;

/** Registers the hooks that load the docs and start the receiver; `docs()` is valid inside tests. */
export function useDocsReceiver(): () => DocsContext {
  beforeAll(async () => {
    for (const f of FILES) for (const b of await readDocBlocks(join(DOCS, f))) blocks.set(b.id, b);
    const render = await buildDocRender();
    const key = yamlOf<WithStringData>('webhook-secret').stringData['hmac-key'] ?? '';
    const igs = IgnitionSync.parse(yamlOf('ignitionsync-webhook'));
    context = { render, key, igs };
    const target = `${igs.metadata.namespace}/${igs.metadata.name}`;
    tmp = await mkdtemp(join(tmpdir(), 'ignition-sync-docs-'));
    server = createServer(
      createWebhookReceiver({
        lookupSecret: async (ns, name) => (`${ns}/${name}` === target ? Buffer.from(key) : undefined),
        onAccepted: async (event) => {
          const action = decideWebhookAction(event, {
            key: target,
            specRef: igs.spec.git.ref,
            specRepo: igs.spec.git.repo,
          });
          accepted.push({ event, ref: action.decision.accepted ? action.decision.ref : undefined });
          return action.decision;
        },
        logger: createSilentLogger(),
      }),
    );
    const listening = server;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    port = (listening.address() as AddressInfo).port;
  }, 300_000);

  afterAll(async () => {
    const s = server;
    s?.closeAllConnections();
    if (s !== undefined) await new Promise((resolve) => s.close(resolve));
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
  });

  beforeEach(() => {
    accepted.length = 0;
  });

  return () => {
    if (context === undefined) throw new Error('useDocsReceiver: used before its beforeAll ran');
    return context;
  };
}

/** Sends `req` to the test receiver; resolves with the status and the JSON answer. */
export async function send(req: SentRequest): Promise<{ status: number; body: Obj }> {
  const url = new URL(req.url);
  const res = await fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`, {
    method: req.method,
    headers: req.headers,
    ...(req.method === 'GET' ? {} : { body: req.body }),
  });
  return { status: res.status, body: (await res.json()) as Obj };
}

export const withoutHeader = (headers: Record<string, string>, ...names: string[]) =>
  Object.fromEntries(Object.entries(headers).filter(([n]) => !names.includes(n.toLowerCase())));

/** Runs `script` with sh and the real curl; the Service name and 127.0.0.1:8443 reach the test receiver. */
export async function runShell(script: string, env: Record<string, string> = {}) {
  const curlHome = join(tmp ?? tmpdir(), `curl-${randomUUID()}`);
  await mkdir(curlHome);
  await writeFile(
    join(curlHome, '.curlrc'),
    `connect-to = "${SERVICE}:127.0.0.1:${port}"\nconnect-to = "127.0.0.1:8443:127.0.0.1:${port}"\n`,
  );
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      'sh',
      ['-c', script],
      { env: { PATH: process.env.PATH ?? '', CURL_HOME: curlHome, ...env } },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A scratch directory removed after the file's tests. */
export const scratchDir = (): string => tmp ?? tmpdir();

export const hmac = (algo: 'sha1' | 'sha256', body: string, key: string) =>
  createHmac(algo, key).update(body).digest('hex');
