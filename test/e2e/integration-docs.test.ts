import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { IgnitionSync, SyncProfile } from '../../src/api/index.ts';
import { curlCommands } from '../harness/doc-blocks.ts';
import { runDocRender } from '../harness/doc-render.ts';
import {
  accepted,
  allBlocks,
  block,
  blockIds,
  type Obj,
  runShell,
  type SentRequest,
  SHA,
  scratchDir,
  send,
  useDocsReceiver,
  type WithStringData,
  withoutHeader,
  yamlOf,
} from '../harness/docs-receiver.ts';

// Every fenced example of docs/integrations is checked by one of the integration-docs*.test.ts files, the way
// its sender uses it: YAML parsed and validated, Argo CD templates rendered with Go's text/template + sprig and
// its conditions with expr-lang, Kargo expressions with expr-lang (testenv/doc-render), and the exact resulting
// HTTP request sent to the real webhook receiver (test/harness/docs-receiver.ts). This file: the marks, YAML,
// the README and Argo CD (argocd.md); Kargo and the git hosts: the sibling files; the Ignition chart's
// injection: test/integration/ignition-chart-annotations.test.ts.

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

const docs = useDocsReceiver();
let render: string;
let key: string;
let igs: IgnitionSync;
beforeAll(() => {
  ({ render, key, igs } = docs());
});

describe('docs/integrations: every example', () => {
  it('is marked, and each mark is checked here', () => {
    expect(blockIds().sort()).toEqual([...CHECKED].sort());
  });

  it('every YAML block parses; IgnitionSync and SyncProfile documents validate; ConfigMap/Secret data are strings', () => {
    const yamlBlocks = allBlocks().filter((b) => b.lang === 'yaml');
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
    const mounted = join(scratchDir(), 'job-secret');
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
