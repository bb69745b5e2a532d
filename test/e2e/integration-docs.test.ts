import { execFile } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, parseDocument } from 'yaml';
import { IgnitionSync, SyncProfile } from '../../src/api/index.ts';
import { createSilentLogger } from '../../src/observability/index.ts';
import { createWebhookReceiver, decideWebhookAction, type WebhookEvent } from '../../src/webhooks/index.ts';
import { curlCommands, type DocBlock, readDocBlocks } from '../harness/doc-blocks.ts';
import { buildDocRender, runDocRender } from '../harness/doc-render.ts';

// Every fenced example of docs/integrations, checked the way its sender uses it: YAML parsed and validated,
// Argo CD templates rendered with Go's text/template + sprig and its conditions with expr-lang, Kargo
// expressions evaluated with expr-lang (testenv/doc-render), and the exact resulting HTTP request sent to
// the real webhook receiver over HTTP. curl lines run with the real curl; the in-cluster Service name is
// pointed at the test receiver with curl's `connect-to` (what cluster DNS does), a mounted Secret is a file.

const DOCS = join(import.meta.dirname, '../../docs/integrations');
const FILES = ['README.md', 'argocd.md', 'kargo.md', 'git-hosting.md', 'ignition-helm-chart.md'];
const SERVICE = 'ignition-sync-webhook.ignition-sync-system.svc:8443';
const SHA = '4f1c2b3a4d5e6f708192a3b4c5d6e7f8091a2b3c';

// Each block id a test below checks. A new example without a check fails the first test.
const CHECKED = [
  'webhook-secret',
  'ignitionsync-webhook',
  'curl-port-forward',
  'argocd-notifications-secret',
  'argocd-notifications-cm',
  'argocd-application',
  'argocd-request',
  'argocd-template-app',
  'argocd-postsync-job',
  'kargo-warehouse',
  'kargo-secret',
  'kargo-stage-http',
  'kargo-stage-git',
  'github-settings',
  'gitlab-settings',
  'gitea-settings',
  'chart-umbrella',
  'chart-values-proveit',
  'chart-values-single',
];

type Obj = Record<string, unknown>;
const blocks = new Map<string, DocBlock>();
const block = (id: string): DocBlock => {
  const b = blocks.get(id);
  if (b === undefined) throw new Error(`docs/integrations has no block ${id}`);
  return b;
};
const yamlOf = <T = Obj>(id: string): T => parse(block(id).text) as T;

let render: string;
let server: Server;
let port: number;
let key: string;
let igs: IgnitionSync;
let tmp: string;
let accepted: { event: WebhookEvent; ref: string | undefined }[];

// Minimal typed views of the objects the docs hold.
interface WithStringData {
  stringData: Record<string, string>;
}

beforeAll(async () => {
  for (const f of FILES) for (const b of await readDocBlocks(join(DOCS, f))) blocks.set(b.id, b);
  render = await buildDocRender();
  key = yamlOf<WithStringData>('webhook-secret').stringData['hmac-key'] ?? '';
  igs = IgnitionSync.parse(yamlOf('ignitionsync-webhook'));
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
}, 300_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  accepted = [];
});

interface SentRequest {
  readonly method: string;
  /** Absolute URL as the sender has it; only its path (and query) reaches the test receiver. */
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

async function send(req: SentRequest): Promise<{ status: number; body: Obj }> {
  const url = new URL(req.url);
  const res = await fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`, {
    method: req.method,
    headers: req.headers,
    ...(req.method === 'GET' ? {} : { body: req.body }),
  });
  return { status: res.status, body: (await res.json()) as Obj };
}

const withoutHeader = (headers: Record<string, string>, ...names: string[]) =>
  Object.fromEntries(Object.entries(headers).filter(([n]) => !names.includes(n.toLowerCase())));

/** Runs `script` with sh and the real curl; the Service name resolves to the test receiver. */
async function runShell(script: string, env: Record<string, string> = {}) {
  const curlHome = join(tmp, `curl-${randomUUID()}`);
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

const hmac = (algo: 'sha1' | 'sha256', body: string, k = key) =>
  createHmac(algo, k).update(body).digest('hex');

describe('docs/integrations: every example', () => {
  it('is marked, and each mark is checked here', () => {
    expect([...blocks.keys()].sort()).toEqual([...CHECKED].sort());
  });

  it('every YAML block parses; IgnitionSync and SyncProfile documents validate; ConfigMap/Secret data are strings', () => {
    const yamlBlocks = [...blocks.values()].filter((b) => b.lang === 'yaml');
    expect(yamlBlocks.length).toBeGreaterThan(10);
    let validated = 0;
    for (const b of yamlBlocks) {
      for (const doc of parseAllDocuments(b.text)) {
        expect(doc.errors, `${b.id}: ${doc.errors.join('; ')}`).toEqual([]);
        const obj = doc.toJS() as Obj;
        if (obj.kind === 'IgnitionSync') expect(IgnitionSync.safeParse(obj).success, b.id).toBe(true);
        if (obj.kind === 'SyncProfile') expect(SyncProfile.safeParse(obj).success, b.id).toBe(true);
        if (obj.kind === 'IgnitionSync' || obj.kind === 'SyncProfile') validated++;
        if (obj.kind === 'ConfigMap' || obj.kind === 'Secret') {
          for (const field of ['data', 'stringData']) {
            for (const [k, v] of Object.entries((obj[field] ?? {}) as Obj)) {
              expect(typeof v, `${b.id}: ${field}.${k} must be a string`).toBe('string');
            }
          }
        }
      }
    }
    expect(validated).toBeGreaterThan(0);
  });

  it('the README curl line is accepted (202, the ref) with the key and refused (401) without it', async () => {
    const [curl] = curlCommands(block('curl-port-forward'));
    expect(curl).toBeDefined();
    const ok = await runShell(curl ?? '', { KEY: key });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ accepted: true, ref: '2.0.1' });
    const refused = await runShell(curl ?? '', { KEY: 'not-the-key' });
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: 'Unauthorized' });
    expect(accepted.map((a) => a.ref)).toEqual(['2.0.1']);
  });
});

// ---------------------------------------------------------------------------------------------- Argo CD

interface ArgoService {
  url: string;
  headers: { name: string; value: string }[];
}
interface ArgoWebhookTemplate {
  method: string;
  path: string;
  body: string;
}

/** The notifications engine's secret reference: `$name` in service settings → the Secret's value. */
function argoSecretRefs(value: string, secret: Record<string, string>): string {
  return value.replace(/[$][\w-]+/g, (ref) => secret[ref.slice(1)] ?? ref);
}

/** The webhook service's request for one rendered template (URL joined as the engine joins it). */
async function argoRequest(template: ArgoWebhookTemplate, app: Obj): Promise<SentRequest> {
  const cm = yamlOf<{ data: Record<string, string> }>('argocd-notifications-cm');
  const secret = yamlOf<WithStringData>('argocd-notifications-secret').stringData;
  const service = parse(cm.data['service.webhook.ignition-sync'] ?? '') as ArgoService;
  const rendered = await runDocRender<{ path: string; body: string }>(render, {
    mode: 'argocd-template',
    templates: { path: template.path, body: template.body },
    vars: { app },
  });
  return {
    method: template.method,
    url: `${service.url.replace(/\/+$/, '')}/${rendered.path.replace(/^\/+/, '')}`,
    headers: Object.fromEntries(service.headers.map((h) => [h.name, argoSecretRefs(h.value, secret)])),
    body: rendered.body,
  };
}

function templateOf(cmData: Record<string, string>): ArgoWebhookTemplate {
  const t = parse(cmData['template.ignition-sync-webhook'] ?? '') as {
    webhook: Record<string, ArgoWebhookTemplate>;
  };
  const w = t.webhook['ignition-sync'];
  if (w === undefined) throw new Error('template.ignition-sync-webhook has no webhook.ignition-sync');
  return w;
}

const syncedApp = (app: Obj, phase = 'Succeeded'): Obj => ({
  ...app,
  status: {
    sync: { status: 'Synced', revision: SHA },
    operationState: { phase, syncResult: { revision: SHA } },
  },
});

describe('docs/integrations/argocd.md', () => {
  it('the notifications key is the webhook secret', () => {
    expect(
      yamlOf<WithStringData>('argocd-notifications-secret').stringData['ignition-sync-webhook-key'],
    ).toBe(key);
  });

  it('the seed template does not parse as a Go template; the documented one does', async () => {
    const seedPath =
      '/webhook/{{.app.metadata.namespace}}/{{.app.metadata.annotations.sync_ignition_io/cr-name}}';
    await expect(
      runDocRender(render, { mode: 'argocd-template', templates: { path: seedPath }, vars: { app: {} } }),
    ).rejects.toThrow(/bad character U\+002F/);
  });

  it('the trigger fires for a succeeded sync only, once per revision, and sends the template', async () => {
    const cm = yamlOf<{ data: Record<string, string> }>('argocd-notifications-cm');
    const app = yamlOf('argocd-application');
    const subscription = Object.keys((app.metadata as { annotations: Obj }).annotations).find((k) =>
      k.startsWith('notifications.argoproj.io/subscribe.'),
    );
    const [, trigger, service] =
      /^notifications\.argoproj\.io\/subscribe\.([^.]+)\.(.+)$/.exec(subscription ?? '') ?? [];
    expect(cm.data[`service.webhook.${service}`]).toBeDefined();
    const conditions = parse(cm.data[`trigger.${trigger}`] ?? '') as {
      when: string;
      oncePer: string;
      send: string[];
    }[];
    const [condition] = conditions;
    expect(condition?.send).toEqual(['ignition-sync-webhook']);
    expect(cm.data[`template.${condition?.send[0]}`]).toBeDefined();
    const evaluate = (expression: string, a: Obj) =>
      runDocRender<{ result: unknown }>(render, { mode: 'expr', when: expression, vars: { app: a } });
    expect(await evaluate(condition?.when ?? '', syncedApp(app))).toEqual({ result: true });
    expect(await evaluate(condition?.when ?? '', syncedApp(app, 'Running'))).toEqual({ result: false });
    expect(await evaluate(condition?.when ?? '', { ...app, status: {} })).toEqual({ result: false });
    expect(await evaluate(condition?.oncePer ?? '', syncedApp(app))).toEqual({ result: SHA });
  });

  it('the rendered notification is the documented request; the receiver accepts it (202, the annotated ref) and refuses it without the key (401)', async () => {
    const cm = yamlOf<{ data: Record<string, string> }>('argocd-notifications-cm');
    const app = syncedApp(yamlOf('argocd-application'));
    const req = await argoRequest(templateOf(cm.data), app);

    const [first = '', ...rest] = block('argocd-request').text.trim().split('\n');
    const blank = rest.indexOf('');
    const documented = {
      requestLine: first,
      headers: Object.fromEntries(
        rest.slice(0, blank).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
      ),
      body: rest.slice(blank + 1).join('\n'),
    };
    expect(`${req.method} ${req.url}`).toBe(documented.requestLine);
    expect(req.headers).toEqual({ ...documented.headers, Authorization: `Bearer ${key}` });
    expect(documented.headers.Authorization).toBe('Bearer <key>');
    expect(JSON.parse(req.body)).toEqual(JSON.parse(documented.body));

    const annotations = (app.metadata as { annotations: Record<string, string> }).annotations;
    expect(await send(req)).toEqual({
      status: 202,
      body: { accepted: true, ref: annotations['ignition-sync.io/git-ref'] },
    });
    expect(accepted.map((a) => [a.event.namespace, a.event.name, a.ref])).toEqual([
      ['site1', 'proveit-sync', '2.0.1'],
    ]);
    expect((await send({ ...req, headers: withoutHeader(req.headers, 'authorization') })).status).toBe(401);
    expect((await send({ ...req, method: 'GET' })).status).toBe(405);
  });

  it('an Application without the git-ref annotation renders "<no value>", which the receiver refuses (400)', async () => {
    const cm = yamlOf<{ data: Record<string, string> }>('argocd-notifications-cm');
    const app = syncedApp(yamlOf('argocd-application'));
    const meta = app.metadata as { annotations: Record<string, string> };
    const { 'ignition-sync.io/git-ref': _, ...annotations } = meta.annotations;
    const req = await argoRequest(templateOf(cm.data), { ...app, metadata: { ...meta, annotations } });
    expect(JSON.parse(req.body)).toEqual({ ref: '<no value>' });
    expect((await send(req)).status).toBe(400);
    expect(accepted).toEqual([]);
  });

  it('the whole-Application variant asks for the targetRevision (of a multi-source Application: of the source in spec.git.repo, else 200 ignored)', async () => {
    const fragment = parse(block('argocd-template-app').text) as Record<string, string>;
    const template = templateOf(fragment);
    const base = yamlOf('argocd-application');
    const app = (spec: Obj): Obj => syncedApp({ ...base, spec: { ...(base.spec as Obj), ...spec } });
    const chartSource = { repoURL: 'https://charts.ia.io', chart: 'ignition', targetRevision: '0.2.1' };

    const single = app({ source: { repoURL: igs.spec.git.repo, targetRevision: '2.0.1', path: '.' } });
    expect(await send(await argoRequest(template, single))).toEqual({
      status: 202,
      body: { accepted: true, ref: '2.0.1' },
    });
    const multi = app({
      source: undefined,
      sources: [
        chartSource,
        { repoURL: 'git@github.com:inductive-automation/conf-proveit26-app.git', targetRevision: '2.0.2' },
      ],
    });
    expect(await send(await argoRequest(template, multi))).toEqual({
      status: 202,
      body: { accepted: true, ref: '2.0.2' },
    });
    const unrelated = app({
      source: undefined,
      sources: [chartSource, { repoURL: 'https://github.com/example/other.git', targetRevision: '9.9.9' }],
    });
    const other = await send(await argoRequest(template, unrelated));
    expect(other.status).toBe(200);
    expect(other.body.accepted).toBe(false);
    expect(accepted.map((a) => a.ref)).toEqual(['2.0.1', '2.0.2', undefined]);
  });

  it('the PostSync Job, run with sh and curl over its mounted Secret, is accepted (exit 0, spec.git.ref) and fails without the key', async () => {
    interface Job {
      metadata: { namespace: string; annotations: Record<string, string> };
      spec: {
        template: {
          spec: {
            containers: {
              command: string[];
              args: string[];
              volumeMounts: { name: string; mountPath: string }[];
            }[];
            volumes: { name: string; secret: { secretName: string } }[];
          };
        };
      };
    }
    const job = yamlOf<Job>('argocd-postsync-job');
    expect(job.metadata.annotations['argocd.argoproj.io/hook']).toBe('PostSync');
    expect(job.metadata.namespace).toBe(igs.metadata.namespace);
    const pod = job.spec.template.spec;
    const [container] = pod.containers;
    expect(container?.command).toEqual(['sh', '-c']);
    const mount = container?.volumeMounts[0];
    const volume = pod.volumes.find((v) => v.name === mount?.name);
    expect(volume?.secret.secretName).toBe(igs.spec.webhook?.secretRef?.name);

    // The Secret volume, as the kubelet lays it out: one file per key.
    const mounted = join(tmp, 'job-secret');
    await mkdir(mounted, { recursive: true });
    const script = (container?.args[0] ?? '').replaceAll(mount?.mountPath ?? '', mounted);
    const keyFile = join(mounted, igs.spec.webhook?.secretRef?.key ?? '');

    await writeFile(keyFile, key);
    const ok = await runShell(script);
    expect(ok).toMatchObject({ code: 0 });
    expect(JSON.parse(ok.stdout)).toEqual({ accepted: true, ref: igs.spec.git.ref });
    expect(accepted.map((a) => a.ref)).toEqual([igs.spec.git.ref]);

    await writeFile(keyFile, 'not-the-key');
    const refused = await runShell(script);
    expect(refused.code).toBe(22); // curl -f: HTTP status >= 400
    expect(refused.stderr).toContain('401');
  });
});

// ------------------------------------------------------------------------------------------------ Kargo

interface KargoStep {
  uses: string;
  as?: string;
  config: Obj;
}
interface KargoStage {
  spec: {
    requestedFreight: { origin: { kind: string; name: string } }[];
    promotionTemplate: { spec: { vars: { name: string; value: string }[]; steps: KargoStep[] } };
  };
}

function kargoContext(tag: string) {
  const warehouse = yamlOf<{
    metadata: { name: string };
    spec: { subscriptions: { git: { repoURL: string } }[] };
  }>('kargo-warehouse');
  const secret = yamlOf<{ metadata: { name: string } } & WithStringData>('kargo-secret');
  return {
    commits: warehouse.spec.subscriptions.map((s) => ({ RepoURL: s.git.repoURL, ID: SHA, Tag: tag })),
    secrets: { [secret.metadata.name]: secret.stringData },
    warehouse: warehouse.metadata.name,
  };
}

async function evaluateSteps(stageId: string, tag: string, env: Obj = {}): Promise<KargoStep[]> {
  const stage = yamlOf<KargoStage>(stageId);
  const ctx = kargoContext(tag);
  expect(stage.spec.requestedFreight[0]?.origin).toEqual({ kind: 'Warehouse', name: ctx.warehouse });
  const vars = Object.fromEntries(stage.spec.promotionTemplate.spec.vars.map((v) => [v.name, v.value]));
  const steps: KargoStep[] = [];
  for (const step of stage.spec.promotionTemplate.spec.steps) {
    const config = await runDocRender<Obj>(render, { mode: 'kargo', config: step.config, vars, env, ...ctx });
    steps.push({ ...step, config });
  }
  return steps;
}

describe('docs/integrations/kargo.md', () => {
  it('the Kargo secret holds the webhook key and is a generic credential', () => {
    const secret = yamlOf<{ metadata: { labels: Obj } } & WithStringData>('kargo-secret');
    expect(secret.stringData.key).toBe(key);
    expect(secret.metadata.labels['kargo.akuity.io/cred-type']).toBe('generic');
  });

  it("the seed's body form would become an object (failing the http step's string schema); the documented one stays a string", async () => {
    const vars = { repoURL: 'https://github.com/inductive-automation/conf-proveit26-app.git' };
    const seed = await runDocRender<Obj>(render, {
      mode: 'kargo',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the seed's Kargo expression, not a JS template
      config: { body: '{"ref": "${{ commitFrom(vars.repoURL).Tag }}"}' },
      vars,
      ...kargoContext('2.0.1'),
    });
    expect(seed.body).toEqual({ ref: '2.0.1' });
  });

  it('the http step sends a request the receiver accepts (202, the promoted tag; successExpression true) and refuses without the key (401; failureExpression true)', async () => {
    const [http] = await evaluateSteps('kargo-stage-http', '2.0.1');
    expect(http?.uses).toBe('http');
    const config = http?.config as {
      method: string;
      url: string;
      headers: { name: string; value: string }[];
      body: unknown;
      successExpression: string;
      failureExpression: string;
    };
    expect(typeof config.body).toBe('string');
    const req: SentRequest = {
      method: config.method,
      url: config.url,
      headers: Object.fromEntries(config.headers.map((h) => [h.name, h.value])),
      body: config.body as string,
    };
    expect(req.headers.Authorization).toBe(`Bearer ${key}`);
    const check = async (response: { status: number; body: Obj }) => ({
      success: (
        await runDocRender<{ result: unknown }>(render, {
          mode: 'expr',
          when: config.successExpression,
          vars: { response },
        })
      ).result,
      failure: (
        await runDocRender<{ result: unknown }>(render, {
          mode: 'expr',
          when: config.failureExpression,
          vars: { response },
        })
      ).result,
    });

    const ok = await send(req);
    expect(ok).toEqual({ status: 202, body: { accepted: true, ref: '2.0.1' } });
    expect(await check(ok)).toEqual({ success: true, failure: false });
    expect(accepted.map((a) => a.ref)).toEqual(['2.0.1']);

    const refused = await send({ ...req, headers: withoutHeader(req.headers, 'authorization') });
    expect(refused.status).toBe(401);
    expect(await check(refused)).toEqual({ success: false, failure: true });
  });

  it('the git alternative sets spec.git.ref of the IgnitionSync to the promoted tag, as a string even for "2.0"', async () => {
    for (const tag of ['2.0.1', '2.0']) {
      const steps = await evaluateSteps('kargo-stage-git', tag, {
        outputs: { 'update-ref': { commitMessage: `Updated spec.git.ref to ${tag}` } },
      });
      expect(steps.map((s) => s.uses)).toEqual(['git-clone', 'yaml-update', 'git-commit', 'git-push']);
      const [clone, update, commit, push] = steps.map((s) => s.config) as [
        { repoURL: string; checkout: { branch: string; path: string }[] },
        { path: string; updates: { key: string; value: unknown }[] },
        { path: string; message: string },
        { path: string },
      ];
      expect(clone.repoURL).toBe('https://github.com/inductive-automation/site1-deploy.git');
      const workTree = clone.checkout[0]?.path;
      expect(update.path.startsWith(`${workTree}/`)).toBe(true);
      expect([commit.path, push.path]).toEqual([workTree, workTree]);
      expect(commit.message).toBe(`Updated spec.git.ref to ${tag}`);

      // yaml-update on the IgnitionSync the README shows: keys are dot-separated paths.
      const doc = parseDocument(block('ignitionsync-webhook').text);
      for (const u of update.updates) doc.setIn(u.key.split('.'), u.value);
      const updated = IgnitionSync.parse(doc.toJS());
      expect(updated.spec.git.ref).toBe(tag);
    }
  });
});

// ------------------------------------------------------------------------------------------ git hosting

function settingsOf(id: string): Record<string, string> {
  return Object.fromEntries(
    block(id)
      .text.trim()
      .split('\n')
      .map((l) => /^([^:]+):\s+(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1] ?? '', (m[2] ?? '').trim()]),
  );
}

const repository = {
  id: 1296269,
  name: 'conf-proveit26-app',
  full_name: 'inductive-automation/conf-proveit26-app',
  clone_url: 'https://github.com/inductive-automation/conf-proveit26-app.git',
  ssh_url: 'git@github.com:inductive-automation/conf-proveit26-app.git',
};
const ZERO = '0'.repeat(40);

describe('docs/integrations/git-hosting.md', () => {
  /** GitHub's delivery: its headers (signed with the secret when one is set) and the JSON or form body. */
  function github(
    settings: Record<string, string>,
    event: string,
    payload: Obj,
    secret?: string,
  ): SentRequest {
    const json = JSON.stringify(payload);
    const form = settings['Content type'] === 'application/x-www-form-urlencoded';
    const body = form ? `payload=${encodeURIComponent(json)}` : json;
    return {
      method: 'POST',
      url: settings['Payload URL'] ?? '',
      headers: {
        'Content-Type': settings['Content type'] ?? '',
        'User-Agent': 'GitHub-Hookshot/4c2e1f9',
        'X-GitHub-Delivery': randomUUID(),
        'X-GitHub-Event': event,
        'X-GitHub-Hook-ID': '512345678',
        'X-GitHub-Hook-Installation-Target-ID': String(repository.id),
        'X-GitHub-Hook-Installation-Target-Type': 'repository',
        ...(secret === undefined
          ? {}
          : {
              'X-Hub-Signature': `sha1=${hmac('sha1', body, secret)}`,
              'X-Hub-Signature-256': `sha256=${hmac('sha256', body, secret)}`,
            }),
      },
      body,
    };
  }

  it('GitHub: the documented events; ping 200; tag push, tag creation, release and a push to the followed branch 202; unsigned 401', async () => {
    const settings = settingsOf('github-settings');
    expect(settings.Secret).toContain('sync-webhook-secret / hmac-key');
    const events = (settings.Events ?? '').replace(/^.*:\s*/, '').split(/,\s*/);
    expect(events).toEqual(['Branch or tag creation', 'Pushes', 'Releases']);

    const ping = await send(
      github(settings, 'ping', { zen: 'Keep it logically awesome.', hook_id: 512345678, repository }, key),
    );
    expect(ping.status).toBe(200);
    const tagPush = {
      ref: 'refs/tags/2.0.1',
      before: ZERO,
      after: SHA,
      created: true,
      deleted: false,
      forced: false,
      base_ref: null,
      commits: [],
      head_commit: { id: SHA },
      repository,
      pusher: { name: 'alice' },
    };
    const create = { ref: '2.0.1', ref_type: 'tag', master_branch: 'main', pusher_type: 'user', repository };
    const release = {
      action: 'published',
      release: { tag_name: '2.0.1', target_commitish: 'main', draft: false, prerelease: false },
      repository,
    };
    const mainPush = { ...tagPush, ref: 'refs/heads/main', created: false, before: SHA.replace('4', '5') };
    for (const [event, payload] of [
      ['push', tagPush],
      ['create', create],
      ['release', release],
      ['push', mainPush],
    ] as const) {
      expect(await send(github(settings, event, payload, key)), event).toMatchObject({ status: 202 });
    }
    expect(accepted.map((a) => a.ref)).toEqual([
      'refs/tags/2.0.1',
      'refs/tags/2.0.1',
      'refs/tags/2.0.1',
      'main',
    ]);

    const form = { ...settings, 'Content type': 'application/x-www-form-urlencoded' };
    expect((await send(github(form, 'push', tagPush, key))).status).toBe(202);
    expect((await send(github(settings, 'push', tagPush))).status).toBe(401);
    expect((await send(github(settings, 'push', tagPush, 'not-the-key'))).status).toBe(401);
  });

  it('GitLab: tag push, push to the followed branch and release 202 with X-Gitlab-Token; without it 401', async () => {
    const settings = settingsOf('gitlab-settings');
    expect(settings.Trigger?.split(/,\s*/)).toEqual(['Tag push events', 'Push events', 'Releases events']);
    const gitlab = (event: string, payload: Obj, token?: string): SentRequest => ({
      method: 'POST',
      url: settings.URL ?? '',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'GitLab/18.6.1',
        'X-Gitlab-Event': event,
        'X-Gitlab-Event-UUID': randomUUID(),
        'X-Gitlab-Webhook-UUID': '0c7bb2b1-4a0f-4f5c-9d34-33f2c3d4e5f6',
        'X-Gitlab-Instance': 'https://gitlab.example.com',
        'Idempotency-Key': randomUUID(),
        ...(token === undefined ? {} : { 'X-Gitlab-Token': token }),
      },
      body: JSON.stringify(payload),
    });
    const project = {
      id: 15,
      path_with_namespace: 'site/proveit',
      git_http_url: 'https://gitlab.example.com/site/proveit.git',
    };
    const tagPush = {
      object_kind: 'tag_push',
      event_name: 'tag_push',
      before: ZERO,
      after: SHA,
      ref: 'refs/tags/2.0.1',
      ref_protected: true,
      checkout_sha: SHA,
      project,
      commits: [],
      total_commits_count: 0,
    };
    const push = {
      ...tagPush,
      object_kind: 'push',
      event_name: 'push',
      ref: 'refs/heads/main',
      before: SHA.replace('4', '5'),
    };
    const release = { object_kind: 'release', action: 'create', tag: '2.0.1', project, commit: { id: SHA } };
    expect(await send(gitlab('Tag Push Hook', tagPush, key))).toMatchObject({ status: 202 });
    expect(await send(gitlab('Push Hook', push, key))).toMatchObject({ status: 202 });
    expect(await send(gitlab('Release Hook', release, key))).toMatchObject({ status: 202 });
    expect(accepted.map((a) => a.ref)).toEqual(['refs/tags/2.0.1', 'main', 'refs/tags/2.0.1']);
    expect((await send(gitlab('Tag Push Hook', tagPush))).status).toBe(401);
  });

  it('Gitea and Forgejo: their exact headers and signatures; tag push and tag creation 202; no secret 401; GET 405', async () => {
    const settings = settingsOf('gitea-settings');
    expect(settings['HTTP method']).toBe('POST');
    expect(settings['POST content type']).toBe('application/json');
    expect(settings['Trigger on']).toBe('Custom events: Create, Push, Release');
    /** Gitea's delivery (services/webhook): every family of headers, signatures empty without a secret. */
    const gitea = (event: string, payload: Obj, secret: string, forgejo = false): SentRequest => {
      const body = JSON.stringify(payload);
      const sha256 = secret === '' ? '' : hmac('sha256', body, secret);
      const sha1 = secret === '' ? '' : hmac('sha1', body, secret);
      const id = randomUUID();
      return {
        method: settings['HTTP method'] ?? '',
        url: settings['Target URL'] ?? '',
        headers: {
          'Content-Type': settings['POST content type'] ?? '',
          'User-Agent': 'Go-http-client/1.1',
          ...(forgejo
            ? {
                'X-Forgejo-Delivery': id,
                'X-Forgejo-Event': event,
                'X-Forgejo-Event-Type': event,
                'X-Forgejo-Signature': sha256,
              }
            : {}),
          'X-Gitea-Delivery': id,
          'X-Gitea-Event': event,
          'X-Gitea-Event-Type': event,
          'X-Gitea-Signature': sha256,
          'X-Gogs-Delivery': id,
          'X-Gogs-Event': event,
          'X-Gogs-Event-Type': event,
          'X-Gogs-Signature': sha256,
          'X-Hub-Signature': `sha1=${sha1}`,
          'X-Hub-Signature-256': `sha256=${sha256}`,
          'X-GitHub-Delivery': id,
          'X-GitHub-Event': event,
          'X-GitHub-Event-Type': event,
        },
        body,
      };
    };
    const repo = {
      id: 7,
      full_name: 'site/proveit',
      clone_url: 'https://gitea.example.com/site/proveit.git',
    };
    const tagPush = {
      ref: 'refs/tags/2.0.1',
      before: ZERO,
      after: SHA,
      compare_url: '',
      commits: [],
      total_commits: 0,
      head_commit: null,
      repository: repo,
      pusher: { login: 'alice' },
    };
    const create = { sha: SHA, ref: '2.0.1', ref_type: 'tag', repository: repo };
    for (const forgejo of [false, true]) {
      expect(await send(gitea('push', tagPush, key, forgejo))).toMatchObject({ status: 202 });
      expect(await send(gitea('create', create, key, forgejo))).toMatchObject({ status: 202 });
      expect((await send(gitea('push', tagPush, '', forgejo))).status).toBe(401);
    }
    expect(accepted.map((a) => [a.event.provider, a.ref])).toEqual([
      ['gitea', 'refs/tags/2.0.1'],
      ['gitea', 'refs/tags/2.0.1'],
      ['forgejo', 'refs/tags/2.0.1'],
      ['forgejo', 'refs/tags/2.0.1'],
    ]);
    expect((await send({ ...gitea('push', tagPush, key), method: 'GET' })).status).toBe(405);
  });
});

// -------------------------------------------------------------------------------- Ignition Helm chart

describe('docs/integrations/ignition-helm-chart.md (values shape; injection: test/integration/ignition-chart-annotations.test.ts)', () => {
  it("every umbrella alias has top-level podAnnotations (the chart's .Values.podAnnotations), not gateway.podAnnotations", () => {
    const chart = yamlOf<{ dependencies: { name: string; alias: string; repository: string }[] }>(
      'chart-umbrella',
    );
    const values =
      yamlOf<Record<string, { podAnnotations?: Record<string, string>; gateway?: Obj }>>(
        'chart-values-proveit',
      );
    expect(
      chart.dependencies.every((d) => d.name === 'ignition' && d.repository === 'https://charts.ia.io'),
    ).toBe(true);
    expect(Object.keys(values).sort()).toEqual(chart.dependencies.map((d) => d.alias).sort());
    for (const [alias, v] of Object.entries(values)) {
      expect(v.gateway?.podAnnotations, alias).toBeUndefined();
      expect(v.podAnnotations?.['ignition-sync.io/inject'], alias).toBe('true');
    }
    const single = yamlOf<{ podAnnotations: Record<string, string> }>('chart-values-single');
    expect(single.podAnnotations['ignition-sync.io/inject']).toBe('true');
  });
});
