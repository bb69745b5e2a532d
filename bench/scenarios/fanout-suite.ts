import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type GatewaySimulator, startGatewaySimulator } from '../../src/ignition/simulator/index.ts';
import { readAppliedState } from '../../src/sync/index.ts';
import { startGitHttpServer } from '../../test/harness/git-servers/index.ts';
import type { BenchRepo } from '../generator/ensure-bench-repo.ts';
import type { CommitName } from '../generator/plan-change-series.ts';
import { median, percentile, round } from '../measure/stats.ts';
import { API_TOKEN, SYNC_NAME, SYNC_NAMESPACE, WEBHOOK_KEY, writeFanoutConfig } from './fanout-config.ts';
import type { FanoutResult } from './results.ts';
import { resetDir } from './run-rotated.ts';
import { RunnerProcess } from './runner-process.ts';

export interface FanoutOptions {
  readonly repo: BenchRepo;
  readonly gateways: number;
  readonly rollouts: number;
  readonly workDir: string;
  readonly log: (line: string) => void;
}

const ROLLOUT_TIMEOUT_MS = 180_000;

/**
 * N gateway simulators (in this process) driven by the real `ignition-sync run` (child process) from one
 * IgnitionSync over a smart-HTTP git server. Each rollout POSTs a generic `{"ref"}` webhook; a gateway is
 * done when its data dir is at the new commit and a scan that started after the 202 has finished (read
 * from the simulator's scan log). Latencies are per gateway, pooled over rollouts; the git server counts
 * requests per rollout.
 */
export async function runFanout(options: FanoutOptions): Promise<FanoutResult> {
  const root = join(options.workDir, 'run', `fanout-${options.gateways}`);
  await resetDir(root);
  const server = await startGitHttpServer({ root: dirname(options.repo.gitDir) });
  const sims: GatewaySimulator[] = [];
  let runner: RunnerProcess | undefined;
  try {
    for (let i = 0; i < options.gateways; i++) {
      sims.push(
        await startGatewaySimulator({
          dataDir: join(root, 'gateways', `gw-${i}`, 'data'),
          name: `gw-${i}`,
          tokens: [API_TOKEN],
        }),
      );
    }
    const { configFile, secretsDir } = await writeFanoutConfig({
      root,
      repoUrl: server.url('origin'),
      initialRef: 'bench/base',
      gateways: sims.map((s, i) => ({ name: `gw-${i}`, dataDir: s.dataDir, url: s.url })),
    });
    runner = await RunnerProcess.start(
      ['-f', configFile, '--secrets-dir', secretsDir, '--state-dir', join(root, 'state')],
      join(root, 'runner.log'),
    );
    const started = Date.now();
    await waitForRollout(sims, options.repo.commits.base, started - 60_000, runner);
    options.log(`fan-out ${options.gateways}: initial sync of all gateways took ${Date.now() - started} ms`);
    const latencies: number[] = [];
    const allDone: number[] = [];
    const requests: number[] = [];
    const runnerCpu0 = await runner.cpuMs();
    const benchCpu0 = process.cpuUsage();
    for (let k = 0; k < options.rollouts; k++) {
      const target: CommitName = k % 2 === 0 ? 'one-file' : 'base';
      const before = server.stats.requests;
      const t0 = await postWebhook(runner.port, `bench/${target}`, `bench-${options.gateways}-${k}`);
      const perGateway = await waitForRollout(sims, options.repo.commits[target], t0, runner);
      latencies.push(...perGateway);
      allDone.push(Math.max(...perGateway));
      requests.push(server.stats.requests - before);
    }
    const benchCpu = process.cpuUsage(benchCpu0);
    const runnerCpu = (await runner.cpuMs()) - runnerCpu0;
    const result: FanoutResult = {
      gateways: options.gateways,
      size: options.repo.size,
      rollouts: options.rollouts,
      p50_ms: round(percentile(latencies, 50)),
      p95_ms: round(percentile(latencies, 95)),
      max_ms: round(Math.max(...latencies)),
      samples_ms: allDone.map(round),
      git_requests_per_rollout: median(requests),
      runner_rss_mb: round((await runner.peakRssMb()) ?? Number.NaN),
      runner_cpu_ms_per_rollout: Math.round(runnerCpu / options.rollouts),
      simulators_cpu_ms_per_rollout: Math.round((benchCpu.user + benchCpu.system) / 1000 / options.rollouts),
    };
    options.log(`fan-out ${options.gateways}: ${JSON.stringify({ ...result, samples_ms: undefined })}`);
    return result;
  } finally {
    await runner?.stop();
    for (const sim of sims) await sim.close();
    await server.close();
  }
}

/** POSTs a generic webhook; returns Date.now() when the 202 arrived. */
async function postWebhook(port: number, ref: string, deliveryId: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/webhook/${SYNC_NAMESPACE}/${SYNC_NAME}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${WEBHOOK_KEY}`,
      'content-type': 'application/json',
      'x-delivery-id': deliveryId,
    },
    body: JSON.stringify({ ref }),
  });
  const at = Date.now();
  const body = await res.text();
  if (res.status !== 202) throw new Error(`webhook answered ${res.status}: ${body}`);
  return at;
}

/**
 * Waits until every gateway is at `commit` and has finished an API-triggered scan that started at or
 * after `since`; returns each gateway's (scan finished − since) in ms.
 */
async function waitForRollout(
  sims: readonly GatewaySimulator[],
  commit: string,
  since: number,
  runner: RunnerProcess,
): Promise<number[]> {
  const done = new Map<number, number>();
  const deadline = Date.now() + ROLLOUT_TIMEOUT_MS;
  while (done.size < sims.length) {
    if (Date.now() > deadline) {
      throw new Error(`rollout to ${commit} incomplete: ${done.size}/${sims.length}\n${runner.recentLog()}`);
    }
    for (const [i, sim] of sims.entries()) {
      if (done.has(i)) continue;
      const scan = sim.gateway.scans.log.findLast(
        (s) => s.trigger === 'api' && s.startedAt >= since && s.finishedAt !== undefined,
      );
      if (scan?.finishedAt === undefined) continue;
      if ((await readAppliedState(sim.dataDir))?.commit !== commit) continue;
      done.set(i, scan.finishedAt - since);
    }
    await sleep(10);
  }
  return [...done.values()];
}
