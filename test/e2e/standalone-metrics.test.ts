// `curl /metrics` on a running `ignition-sync run --listen` (a child process, like a user runs it): after
// the first round and after a real signed GitHub delivery, the sync histogram, results by reason, commit
// lag, gateways behind, queue depth, webhook verdicts and rate-limit waits say what happened.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAppliedState } from '../../src/sync/index.ts';
import { type CliProcess, spawnCli } from '../harness/operator/cli-process.ts';
import { type Exposition, scrapeMetrics } from '../harness/prometheus-text.ts';
import { waitFor } from '../harness/wait-for.ts';
import { type ProveitEnvironment, startProveitEnvironment, WEBHOOK_KEY } from './proveit-environment.ts';

const GATEWAYS = ['site', 'area1', 'area2'] as const;
const SYNC = { namespace: 'site1', ignition_sync: 'proveit-sync' };

let env: ProveitEnvironment;
let run: CliProcess;
let base: string;

function signedGithub(event: string, payload: object, key = WEBHOOK_KEY) {
  const body = JSON.stringify(payload);
  return fetch(`${base}/webhook/site1/proveit-sync`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': `metrics-${event}-${Date.now()}`,
      'x-hub-signature-256': `sha256=${createHmac('sha256', key).update(body).digest('hex')}`,
    },
  });
}

/** Waits until every gateway's data dir is at `commit` and `results_total{reason="Synced"}` reached `n`. */
async function syncedAt(commit: string, n: number): Promise<Exposition> {
  await waitFor(`all gateways at ${commit.slice(0, 8)}`, async () => {
    const states = await Promise.all(GATEWAYS.map((g) => readAppliedState(env.dataDir(g))));
    return states.every((s) => s?.commit === commit);
  });
  return waitFor(`${n} Synced results`, async () => {
    const m = await scrapeMetrics(`${base}/metrics`);
    return m.value('ignition_sync_sync_results_total', { ...SYNC, reason: 'Synced' }) >= n ? m : undefined;
  });
}

beforeAll(async () => {
  env = await startProveitEnvironment();
  await env.writeConfig(
    GATEWAYS.map((name) => ({ name, profile: name === 'site' ? 'proveit-site' : 'proveit-area' })),
    // One gateway at a time: the other two wait for the concurrency gate in every round; every start also
    // takes a token of the start-rate limiter (10 per second, no burst).
    { rateLimit: '{maxConcurrentSyncs: 1, maxSyncsPerMinute: 600, burstLimit: 1}' },
  );
  run = spawnCli(
    'run',
    [
      'run',
      '-f',
      `${env.root}/config`,
      '--secrets-dir',
      env.secretsDir,
      '--state-dir',
      env.stateDir,
      '--listen',
      '127.0.0.1:0',
    ],
    {},
  );
  const line = await run.waitForLog('listening', (l) => l.msg === 'webhook receiver listening');
  base = `http://127.0.0.1:${String(line.port)}`;
});

afterAll(async () => {
  await run?.stop();
  await env?.close();
});

describe('ignition-sync run --listen serves /metrics', () => {
  it('after the first round and a real GitHub delivery, the metrics count exactly what happened', async () => {
    const initial = await env.repo.revParse('2.0.0');
    const first = await syncedAt(initial, GATEWAYS.length);
    expect(first.types.get('ignition_sync_sync_duration_seconds')).toBe('histogram');
    expect(first.value('ignition_sync_sync_results_total', { ...SYNC, reason: 'Synced' })).toBe(3);
    expect(first.value('ignition_sync_sync_results_total', { ...SYNC, result: 'Failed' })).toBe(0);
    expect(first.value('ignition_sync_sync_duration_seconds_count', { ...SYNC, result: 'Synced' })).toBe(3);
    expect(first.value('ignition_sync_sync_duration_seconds_sum', SYNC)).toBeGreaterThan(0);
    // Each gateway reached the resolved commit once; none is behind; nothing is queued now.
    expect(first.value('ignition_sync_commit_lag_seconds_count', SYNC)).toBe(3);
    expect(first.value('ignition_sync_gateways_behind', SYNC)).toBe(0);
    expect(first.series('ignition_sync_work_queue_depth').map((s) => [s.labels.queue, s.value])).toEqual([
      ['rounds', 0],
      ['gateway_syncs', 0],
    ]);
    // maxConcurrentSyncs 1: the first gateway started at once, the other two waited for it.
    expect(first.value('ignition_sync_rate_limit_waits_total', { limiter: 'concurrency' })).toBe(2);
    expect(first.value('ignition_sync_rate_limit_wait_seconds_count', { limiter: 'concurrency' })).toBe(3);
    expect(
      first.value('ignition_sync_rate_limit_wait_seconds_sum', { limiter: 'concurrency' }),
    ).toBeGreaterThan(0);
    expect(first.value('ignition_sync_rate_limit_wait_seconds_count', { limiter: 'start_rate' })).toBe(3);
    expect(first.series('ignition_sync_webhook_requests_total')).toEqual([]);

    // Three deliveries: a forged signature, a ping, and a signed tag push that moves every gateway.
    const next = await env.repo.commit({ 'shared/scripts/code.py': '"""metrics e2e"""\n' });
    await env.repo.tag('2.0.1', next, { annotated: true });
    const push = {
      ref: 'refs/tags/2.0.1',
      before: '0'.repeat(40),
      after: next,
      created: true,
      deleted: false,
      repository: { full_name: 'inductive-automation/conf-proveit26-app' },
    };
    expect((await signedGithub('push', push, 'not-the-key')).status).toBe(401);
    expect((await signedGithub('ping', { zen: 'Keep it logically awesome.', hook_id: 1 })).status).toBe(200);
    expect((await signedGithub('push', push)).status).toBe(202);

    const after = await syncedAt(next, 6);
    expect(after.value('ignition_sync_sync_results_total', { ...SYNC, reason: 'Synced' })).toBe(6);
    expect(after.value('ignition_sync_sync_duration_seconds_count', SYNC)).toBe(6);
    expect(after.value('ignition_sync_commit_lag_seconds_count', SYNC)).toBe(6);
    expect(after.value('ignition_sync_gateways_behind', SYNC)).toBe(0);
    expect(after.value('ignition_sync_rate_limit_waits_total', { limiter: 'concurrency' })).toBe(4);
    expect(after.value('ignition_sync_rate_limit_wait_seconds_count', { limiter: 'start_rate' })).toBe(6);
    const verdicts = after
      .series('ignition_sync_webhook_requests_total')
      .map((s) => [s.labels.verdict, s.labels.reason, s.value])
      .sort();
    expect(verdicts).toEqual([
      ['accepted', '', 1],
      ['ignored', '', 1],
      ['unauthorized', 'Unauthorized', 1],
    ]);
    // The process and Node.js defaults are there too.
    expect(after.value('process_cpu_seconds_total')).toBeGreaterThan(0);
  });

  it('only GET and HEAD /metrics are metrics; other paths stay the receiver', async () => {
    expect((await fetch(`${base}/metrics`, { method: 'HEAD' })).status).toBe(200);
    const post = await fetch(`${base}/metrics`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(404);
  });
});
