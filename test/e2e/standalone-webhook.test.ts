import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitClient } from '../../src/git/index.ts';
import {
  type GatewaySimulator,
  SimulatorControlClient,
  startGatewaySimulator,
} from '../../src/ignition/simulator/index.ts';
import { createSilentLogger } from '../../src/observability/index.ts';
import { loadRunConfig, StandaloneRunner } from '../../src/standalone/index.ts';
import { type ProveitEnvironment, startProveitEnvironment, WEBHOOK_KEY } from './proveit-environment.ts';
import { ReportLog } from './report-log.ts';

const SCRIPT = 'shared/scripts/code.py';
const PLC = 'services/area/config/resources/core/com.inductiveautomation.opcua/device/Line1PLC/config.json';
const VIEW = 'services/site/projects/site/com.inductiveautomation.perspective/views/Overview/view.json';

let env: ProveitEnvironment;
const sims = new Map<string, GatewaySimulator>();
let runner: StandaloneRunner;
let stop: AbortController;
let running: Promise<void>;
let webhookUrl: string;
const log = new ReportLog();
const reports = log.reports;
const reportWhere = log.reportWhere.bind(log);

async function commitAndTag(tag: string, path: string, content: string): Promise<string> {
  const commit = await env.repo.commit({ [path]: content }, { message: `change for ${tag}` });
  await env.repo.tag(tag, commit, { annotated: true });
  return commit;
}

function post(body: string, headers: Record<string, string>, url = webhookUrl) {
  return fetch(url, { method: 'POST', headers, body });
}

function githubTagPush(tag: string, commit: string, key = WEBHOOK_KEY, delivery = `gh-${tag}`) {
  const body = JSON.stringify({
    ref: `refs/tags/${tag}`,
    before: '0'.repeat(40),
    after: commit,
    created: true,
    deleted: false,
    repository: { full_name: 'inductive-automation/conf-proveit26-app' },
  });
  const headers = {
    'content-type': 'application/json',
    'x-github-event': 'push',
    'x-github-delivery': delivery,
    'x-hub-signature-256': `sha256=${createHmac('sha256', key).update(body).digest('hex')}`,
    'user-agent': 'GitHub-Hookshot/e2e',
  };
  return { body, headers };
}

async function scansSince(name: string, since: number) {
  const sim = sims.get(name);
  if (sim === undefined) throw new Error(`no simulator ${name}`);
  const scans = await new SimulatorControlClient(sim.controlUrl).scans();
  return scans.filter((s) => s.startedAt >= since && s.trigger === 'api');
}

beforeAll(async () => {
  env = await startProveitEnvironment();
  for (const name of ['site', 'area1']) {
    sims.set(
      name,
      await startGatewaySimulator({
        dataDir: env.dataDir(name),
        name,
        tokens: ['ignition-sync:e2e-api-secret'],
        scanDurationMs: 20,
      }),
    );
  }
  await env.writeConfig([
    { name: 'site', profile: 'proveit-site', url: sims.get('site')?.url ?? '' },
    { name: 'area1', profile: 'proveit-area', url: sims.get('area1')?.url ?? '' },
  ]);
  const loaded = await loadRunConfig([env.configDir], env.root);
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  runner = new StandaloneRunner({
    config: loaded.config,
    git: new GitClient({ pathEnv: process.env.PATH ?? '/usr/bin:/bin' }),
    secretsDir: env.secretsDir,
    stateDir: env.stateDir,
    logger: createSilentLogger(),
    bodyLimitBytes: 64 * 1024,
    onProgress: log.record,
  });
  const address = await runner.listen({ host: '127.0.0.1', port: 0 });
  webhookUrl = `http://127.0.0.1:${address.port}/webhook/site1/proveit-sync`;
  stop = new AbortController();
  running = runner.run(stop.signal);
  const initial = await env.repo.revParse('2.0.0');
  await reportWhere((r) => r.name === 'site' && r.commit === initial && r.status === 'Synced');
  await reportWhere((r) => r.name === 'area1' && r.commit === initial && r.status === 'Synced');
});

afterAll(async () => {
  stop?.abort();
  await running;
  for (const sim of sims.values()) await sim.close();
  await env?.close();
});

describe('webhook → resolve → sync → scan, through a real git server and gateway simulators', () => {
  it('a signed GitHub tag push syncs the new tag and the site gateway scans projects under its lock', async () => {
    const commit = await commitAndTag('2.0.1', SCRIPT, '"""changed by e2e 2.0.1"""\n');
    const since = Date.now();
    const { body, headers } = githubTagPush('2.0.1', commit);
    const res = await post(body, headers);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: true, ref: 'refs/tags/2.0.1' });
    const site = await reportWhere((r) => r.name === 'site' && r.commit === commit);
    expect(site).toMatchObject({ status: 'Synced', modified: 1, added: 0, deleted: 0, scans: ['projects'] });
    const live = join(
      env.dataDir('site'),
      'projects/site/ignition/script-python/exchange/proveit2026/code.py',
    );
    expect(await readFile(live, 'utf8')).toBe('"""changed by e2e 2.0.1"""\n');
    const scans = await scansSince('site', since);
    expect(scans.map((s) => s.kind)).toEqual(['projects']);
    // Written under the scan lock (no unlocked writes) and never seen half-applied.
    expect(scans[0]).toMatchObject({ torn: false, unlockedWrites: [] });
    // The area profile does not map shared/scripts: it moves to the commit without a scan.
    expect(await reportWhere((r) => r.name === 'area1' && r.commit === commit)).toMatchObject({
      modified: 0,
      scans: [],
    });
    expect(await scansSince('area1', since)).toEqual([]);
  });

  it('an Argo CD notification body with a bearer token syncs the named tag (config scan on the area)', async () => {
    const commit = await commitAndTag(
      '2.0.2',
      PLC,
      '{"type":"com.inductiveautomation.SiemensS71500","settings":{"hostname":"10.20.1.11"}}\n',
    );
    const since = Date.now();
    const res = await post('{"ref": "2.0.2"}', {
      'content-type': 'application/json',
      authorization: `Bearer ${WEBHOOK_KEY}`,
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: true, ref: '2.0.2' });
    expect(await reportWhere((r) => r.name === 'area1' && r.commit === commit)).toMatchObject({
      status: 'Synced',
      modified: 1,
      scans: ['config'],
    });
    const scans = await scansSince('area1', since);
    expect(scans.map((s) => [s.kind, s.torn])).toEqual([['config', false]]);
  });

  it('a Kargo http-step body (no Content-Type) with a bearer token syncs the named tag', async () => {
    const commit = await commitAndTag(
      '2.0.3',
      VIEW,
      '{"root":{"type":"ia.container.flex","meta":{"name":"root"}}}\n',
    );
    // Kargo's Go client sends no Content-Type unless told; a byte body makes fetch send none either.
    const res = await fetch(webhookUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${WEBHOOK_KEY}` },
      body: new TextEncoder().encode('{"ref": "2.0.3"}'),
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: true, ref: '2.0.3' });
    expect(await reportWhere((r) => r.name === 'site' && r.commit === commit)).toMatchObject({
      status: 'Synced',
      modified: 1,
      scans: ['projects'],
    });
  });

  it('forged, oversized, malformed, unknown-target and hostile-ref requests get their status codes and change nothing', async () => {
    const commit = await commitAndTag('6.6.6', SCRIPT, '"""must never reach a gateway"""\n');
    await runner.idle();
    const before = { reports: reports.length, gitRequests: env.git.stats.requests };
    const stateBefore = await readFile(join(env.dataDir('site'), '.ignition-sync/state.json'), 'utf8');
    const since = Date.now();
    const forged = githubTagPush('6.6.6', commit, 'attacker-guess', 'forged-1');
    const bearer = { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_KEY}` };
    const cases: Array<[string, Promise<Response>, number]> = [
      ['forged GitHub signature', post(forged.body, forged.headers), 401],
      ['wrong bearer', post('{"ref":"6.6.6"}', { ...bearer, authorization: 'Bearer nope' }), 401],
      ['no credentials', post('{"ref":"6.6.6"}', { 'content-type': 'application/json' }), 401],
      [
        'unknown IgnitionSync',
        post('{"ref":"6.6.6"}', bearer, webhookUrl.replace('proveit-sync', 'other-sync')),
        401,
      ],
      ['unknown namespace', post('{"ref":"6.6.6"}', bearer, webhookUrl.replace('/site1/', '/site9/')), 401],
      ['oversized body', post(JSON.stringify({ ref: '6.6.6', pad: 'x'.repeat(70 * 1024) }), bearer), 413],
      ['malformed JSON', post('{"ref": "6.6.6"', bearer), 400],
      ['hostile ref (option injection)', post('{"ref":"--upload-pack=touch /tmp/pwned"}', bearer), 400],
      ['hostile ref (traversal)', post('{"ref":"refs/tags/../../6.6.6"}', bearer), 400],
      ['a media type no sender uses', post('ref=6.6.6', { ...bearer, 'content-type': 'text/plain' }), 415],
      ['GET', fetch(webhookUrl), 405],
    ];
    const statuses = await Promise.all(
      cases.map(async ([what, response, expected]) => [what, (await response).status, expected]),
    );
    expect(statuses.map(([what, status]) => [what, status])).toEqual(
      cases.map(([what, , expected]) => [what, expected]),
    );
    // Nothing moved: no round ran, git was not asked, the gateways kept their applied commit, no scan.
    expect(reports.length).toBe(before.reports);
    expect(env.git.stats.requests).toBe(before.gitRequests);
    expect(await readFile(join(env.dataDir('site'), '.ignition-sync/state.json'), 'utf8')).toBe(stateBefore);
    expect(await scansSince('site', since)).toEqual([]);
    const live = join(
      env.dataDir('site'),
      'projects/site/ignition/script-python/exchange/proveit2026/code.py',
    );
    expect(await readFile(live, 'utf8')).toBe('"""changed by e2e 2.0.1"""\n');
  });

  it('a repeated GitHub delivery is answered again without a second round', async () => {
    const commit = await env.repo.revParse('2.0.3');
    const first = githubTagPush('2.0.3', commit, WEBHOOK_KEY, 'same-delivery');
    expect((await post(first.body, first.headers)).status).toBe(202);
    await reportWhere((r) => r.name === 'site' && r.ref === 'refs/tags/2.0.3');
    await runner.idle();
    const count = reports.length;
    const again = await post(first.body, first.headers);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ accepted: true, ref: 'refs/tags/2.0.3', duplicate: true });
    await runner.idle();
    expect(reports.length).toBe(count);
  });
});
