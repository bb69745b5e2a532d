import { createHmac } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitClient } from '../../src/git/index.ts';
import { type GatewaySimulator, startGatewaySimulator } from '../../src/ignition/simulator/index.ts';
import {
  type GatewayProgress,
  loadRunConfig,
  renderStatusTable,
  StandaloneRunner,
  StatusBoard,
} from '../../src/standalone/index.ts';
import { captureLogger } from '../harness/capture-logger.ts';
import { type ProveitEnvironment, startProveitEnvironment, WEBHOOK_KEY } from './proveit-environment.ts';
import { ReportLog } from './report-log.ts';

// The pin rule (src/webhooks/README.md, "The pin rule") through `ignition-sync run --listen`: the
// IgnitionSync follows the branch `main`; a webhook pins it to a tag; a push to main while pinned is
// answered and logged as such (naming the pin and how to clear it) and moves nothing; {"ref": "main"}
// clears the pin; the next push to main syncs again.

const SCRIPT = 'shared/scripts/code.py';
const LIVE = 'projects/site/ignition/script-python/exchange/proveit2026/code.py';

let env: ProveitEnvironment;
let sim: GatewaySimulator;
let runner: StandaloneRunner;
let stop: AbortController;
let running: Promise<void>;
let webhookUrl: string;
const log = new ReportLog();
const board = new StatusBoard();
const logs = captureLogger();

function onProgress(p: GatewayProgress): void {
  board.update(p);
  log.record(p);
}

function bearer(body: string) {
  return fetch(webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_KEY}` },
    body,
  });
}

function githubPush(branch: string, commit: string, delivery: string) {
  const body = JSON.stringify({ ref: `refs/heads/${branch}`, before: '0'.repeat(39) + '1', after: commit });
  return fetch(webhookUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': delivery,
      'x-hub-signature-256': `sha256=${createHmac('sha256', WEBHOOK_KEY).update(body).digest('hex')}`,
    },
    body,
  });
}

const pinFile = () => join(env.stateDir, 'requested-refs', 'site1.proveit-sync.json');
const live = () => readFile(join(env.dataDir('site'), LIVE), 'utf8');

beforeAll(async () => {
  env = await startProveitEnvironment();
  sim = await startGatewaySimulator({
    dataDir: env.dataDir('site'),
    name: 'site',
    tokens: ['ignition-sync:e2e-api-secret'],
    scanDurationMs: 20,
  });
  await env.writeConfig([{ name: 'site', profile: 'proveit-site', url: sim.url }], { ref: 'main' });
  const loaded = await loadRunConfig([env.configDir], env.root);
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  runner = new StandaloneRunner({
    config: loaded.config,
    git: new GitClient({ pathEnv: process.env.PATH ?? '/usr/bin:/bin' }),
    secretsDir: env.secretsDir,
    stateDir: env.stateDir,
    logger: logs.logger,
    onProgress,
  });
  const address = await runner.listen({ host: '127.0.0.1', port: 0 });
  webhookUrl = `http://127.0.0.1:${address.port}/webhook/site1/proveit-sync`;
  stop = new AbortController();
  running = runner.run(stop.signal);
  const initial = await env.repo.revParse('main');
  await log.reportWhere((r) => r.commit === initial && r.status === 'Synced');
});

afterAll(async () => {
  stop?.abort();
  await running;
  await sim?.close();
  await env?.close();
});

describe('the pin rule, through the standalone runner', () => {
  let tagged: string;

  it('a webhook ref pins the IgnitionSync: synced, persisted, and the table says (pinned)', async () => {
    tagged = await env.repo.commit({ [SCRIPT]: '"""2.0.1"""\n' }, { message: '2.0.1' });
    await env.repo.tag('2.0.1', tagged, { annotated: true });
    const res = await bearer('{"ref": "2.0.1"}');
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: true, ref: '2.0.1' });
    expect(await log.reportWhere((r) => r.commit === tagged)).toMatchObject({
      ref: '2.0.1',
      status: 'Synced',
      pinned: true,
    });
    await runner.idle();
    expect(renderStatusTable(board.rows)).toMatch(/Synced\s+2\.0\.1 \(pinned\)\s+/);
    const pin = JSON.parse(await readFile(pinFile(), 'utf8')) as Record<string, string>;
    expect(pin).toMatchObject({ ref: '2.0.1', specRef: 'main', requestedBy: 'webhook/generic' });
  });

  it('a push to main while pinned: 200 naming the pin, who, when and how to clear it; logged; nothing moves', async () => {
    const ahead = await env.repo.commit({ [SCRIPT]: '"""main, after 2.0.1"""\n' }, { message: 'more' });
    const before = { reports: log.reports.length, git: env.git.stats.requests };
    const res = await githubPush('main', ahead, 'push-while-pinned');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { accepted: boolean; reason: string; pinned: Record<string, string> };
    expect(body.accepted).toBe(false);
    expect(body.pinned).toMatchObject({ ref: '2.0.1', requestedBy: 'webhook/generic' });
    expect(body.reason).toContain(
      'IgnitionSync site1/proveit-sync is pinned to 2.0.1 (requested by webhook/generic at ',
    );
    expect(body.reason).toContain(body.pinned.requestedAt ?? 'missing');
    expect(body.reason).toContain('send {"ref": "main"} to this webhook, or change spec.git.ref');
    await runner.idle();
    expect(log.reports.length).toBe(before.reports);
    expect(env.git.stats.requests).toBe(before.git);
    expect(await live()).toBe('"""2.0.1"""\n');
    const line = logs
      .text()
      .split('\n')
      .find((l) => l.includes('"msg":"webhook event"') && l.includes('"action":"ignore"'));
    expect(line).toBeDefined();
    expect(JSON.parse(line ?? '{}')).toMatchObject({ pinnedRef: '2.0.1', pinnedBy: 'webhook/generic' });
    expect(line).toContain('is pinned to 2.0.1');
  });

  it('{"ref": "main"} (the spec ref itself) clears the pin and syncs main; the next push to main syncs', async () => {
    const main = await env.repo.revParse('main');
    const res = await bearer('{"ref": "main"}');
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({
      accepted: true,
      ref: 'main',
      message: 'pin to 2.0.1 cleared: following spec.git.ref main again',
    });
    const report = await log.reportWhere((r) => r.commit === main);
    expect(report).toMatchObject({ ref: 'main', status: 'Synced' });
    expect(report.pinned).toBeUndefined();
    await runner.idle();
    await expect(access(pinFile())).rejects.toThrow();
    expect(renderStatusTable(board.rows)).not.toContain('(pinned)');
    expect(await live()).toBe('"""main, after 2.0.1"""\n');

    const next = await env.repo.commit({ [SCRIPT]: '"""main, next"""\n' }, { message: 'next' });
    const push = await githubPush('main', next, 'push-after-clear');
    expect(push.status).toBe(202);
    expect(await log.reportWhere((r) => r.commit === next)).toMatchObject({ ref: 'main', status: 'Synced' });
  });

  it('changing spec.git.ref in the config clears a pin: the next run follows the new spec ref', async () => {
    const res = await bearer('{"ref": "2.0.1"}');
    expect(res.status).toBe(202);
    await log.reportWhere((r) => r.ref === '2.0.1' && r.commit === tagged && r.pinned === true);
    await runner.idle();
    await access(pinFile());
    stop.abort();
    await running;

    await env.writeConfig([{ name: 'site', profile: 'proveit-site', url: sim.url }], { ref: '2.0.0' });
    const loaded = await loadRunConfig([env.configDir], env.root);
    if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
    const initial = await env.repo.revParse('2.0.0');
    runner = new StandaloneRunner({
      config: loaded.config,
      git: new GitClient({ pathEnv: process.env.PATH ?? '/usr/bin:/bin' }),
      secretsDir: env.secretsDir,
      stateDir: env.stateDir,
      logger: logs.logger,
      onProgress,
    });
    stop = new AbortController();
    running = runner.run(stop.signal);
    const report = await log.reportWhere((r) => r.ref === '2.0.0' && r.commit === initial);
    expect(report.pinned).toBeUndefined();
    await runner.idle();
    await expect(access(pinFile())).rejects.toThrow();
  });
});
