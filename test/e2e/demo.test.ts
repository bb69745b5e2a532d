import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatorControlClient } from '../../src/ignition/simulator/index.ts';
import { createSilentLogger } from '../../src/observability/index.ts';
import { type DemoReady, runDemo, runDemoGit } from '../../src/standalone/demo/index.ts';
import { EXAMPLE_DIR } from './proveit-environment.ts';
import { ReportLog } from './report-log.ts';

const GATEWAYS = ['site', 'area1', 'area2', 'area3', 'area4'];
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PATH_ENV = process.env.PATH ?? '/usr/bin:/bin';

let stateDir: string;
/** Stops what a test started (demo runs, child processes) even when the test failed half way. */
let cleanups: Array<() => Promise<unknown>> = [];

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'igs-demo-'));
});

afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
  await rm(stateDir, { recursive: true, force: true });
});

/** Runs `script` with `sh -e` in `cwd`; resolves with stdout. */
function runShell(script: string, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('sh', ['-ec', script], { cwd, env: { PATH: PATH_ENV, HOME: cwd } }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`recipe failed: ${stderr}`));
      else resolve(stdout);
    });
  });
}

/** The change → commit → tag → curl lines of the banner. */
function recipeOf(stdout: string): string {
  const banner = stdout.split('\n');
  const from = banner.findIndex((l) => l.startsWith('Change a file')) + 2;
  const recipe = banner.slice(from, banner.indexOf('', from)).join('\n');
  expect(recipe).toContain('curl -sS -X POST');
  return recipe;
}

/** Starts the demo in-process; resolves helpers once the receiver listens. */
async function startDemo() {
  const log = new ReportLog();
  let stdout = '';
  const out = new PassThrough();
  out.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  const stop = new AbortController();
  let ready: (r: DemoReady) => void = () => {};
  const isReady = new Promise<DemoReady>((resolve) => {
    ready = resolve;
  });
  const exit = runDemo({
    exampleDir: EXAMPLE_DIR,
    stateDir,
    listen: '127.0.0.1:0',
    cwd: stateDir,
    pathEnv: PATH_ENV,
    stdout: out,
    logger: createSilentLogger(),
    signal: stop.signal,
    onReady: ready,
    onProgress: log.record,
  });
  const until = (predicate: () => boolean, what: string): Promise<boolean> => log.until(predicate, what);
  const allAt = (commit: string) => () =>
    GATEWAYS.every((g) =>
      log.reports.some((r) => r.name === g && r.status === 'Synced' && r.commit === commit),
    );
  cleanups.push(async () => {
    stop.abort();
    await exit.catch(() => undefined);
  });
  const readyOrExit = await Promise.race([
    isReady,
    exit.then((code) => {
      throw new Error(`demo exited (${String(code)}) before it was ready: ${stdout}`);
    }),
  ]);
  return { reports: log.reports, stdout: () => stdout, stop, exit, ready: readyOrExit, until, allAt };
}

describe('npm start (the embedded demo)', () => {
  it('brings all five ProveIt gateways to Synced, follows a committed tag via the printed curl recipe, and a restart reuses the state', async () => {
    const first = await startDemo();
    const repo = first.ready.repoDir;
    const initial = (
      await runDemoGit(['rev-parse', '2.0.0^{commit}'], { cwd: repo, pathEnv: PATH_ENV })
    ).trim();
    await first.until(first.allAt(initial), 'five gateways at 2.0.0');
    expect(first.reports.filter((r) => r.status === 'Failed')).toEqual([]);
    expect(first.stdout()).toContain('created state');
    expect(first.stdout()).toContain(first.ready.webhookUrl);
    for (const g of first.ready.gateways) {
      const scans = await new SimulatorControlClient(g.controlUrl).scans();
      expect(
        scans
          .filter((s) => s.trigger === 'api')
          .map((s) => s.kind)
          .sort(),
      ).toEqual(['config', 'projects']);
    }

    // The banner's recipe, run literally by a shell: change a file, commit, tag, curl with the bearer key.
    const answer = await runShell(recipeOf(first.stdout()), stateDir);
    expect(JSON.parse(answer)).toEqual({ accepted: true, ref: '2.0.1' });
    const next = (await runDemoGit(['rev-parse', 'HEAD'], { cwd: repo, pathEnv: PATH_ENV })).trim();
    expect(next).not.toBe(initial);
    await first.until(first.allAt(next), 'five gateways at 2.0.1');
    expect(first.reports.find((r) => r.name === 'site' && r.commit === next)).toMatchObject({
      modified: 1,
      scans: ['projects'],
    });
    first.stop.abort();
    expect(await first.exit).toBe(0);

    // Second start: same repository, same data, the requested tag is remembered, nothing to change.
    const second = await startDemo();
    await second.until(second.allAt(next), 'five gateways still at 2.0.1');
    expect(second.stdout()).toContain('reused state');
    expect(second.reports.every((r) => r.added + r.modified + r.deleted === 0 && r.ref === '2.0.1')).toBe(
      true,
    );

    // The recipe the second start prints works too: it names the next free tag, and all five move forward.
    const again = await runShell(recipeOf(second.stdout()), stateDir);
    expect(JSON.parse(again)).toEqual({ accepted: true, ref: '2.0.2' });
    const newest = (await runDemoGit(['rev-parse', 'HEAD'], { cwd: repo, pathEnv: PATH_ENV })).trim();
    expect(newest).not.toBe(next);
    await second.until(second.allAt(newest), 'five gateways at 2.0.2');
    expect(second.reports.filter((r) => r.reason !== null)).toEqual([]);
    second.stop.abort();
    expect(await second.exit).toBe(0);
  });

  it('src/bin/demo.ts (what npm start runs) syncs all five gateways and exits 0 on SIGINT', async () => {
    const child = spawn(join(REPO_ROOT, 'node_modules/.bin/node'), ['src/bin/demo.ts'], {
      cwd: REPO_ROOT,
      env: { PATH: PATH_ENV, IGNITION_SYNC_DEMO_DIR: stateDir, IGNITION_SYNC_DEMO_LISTEN: '127.0.0.1:0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    const synced = new Set<string>();
    const allSynced = new Promise<void>((resolve) => {
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        for (const line of stderr.split('\n')) {
          const m = /"gateway":"(\w+)".*"msg":"gateway synced"/.exec(line);
          if (m?.[1] !== undefined) synced.add(m[1]);
        }
        if (synced.size === GATEWAYS.length) resolve();
      });
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    cleanups.push(async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    });
    await Promise.race([
      allSynced,
      exited.then(() => Promise.reject(new Error(`demo exited early: ${stderr}`))),
    ]);
    expect([...synced].sort()).toEqual([...GATEWAYS].sort());
    expect(stdout).toContain('curl -sS -X POST http://127.0.0.1:');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
