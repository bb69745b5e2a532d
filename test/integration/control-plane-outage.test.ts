// Tests that stop or disturb the apiserver run against a PRIVATE control plane, so the shared one stays up.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { collectionPath, Informer, KubeClient, objectPath } from '../../src/kube/index.ts';
import { createSilentLogger } from '../../src/observability/index.ts';
import { CRD_DIRS } from '../harness/kube/global-setup.ts';
import {
  type ControlPlane,
  createTestNamespace,
  installCrds,
  loadCrds,
  spawnCandidate,
  startControlPlane,
  waitFor,
} from '../harness/kube/index.ts';

interface Widget {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: { size: number };
}

const API = 'test.ignition-sync.io/v1';
let cp: ControlPlane;
let client: KubeClient;
let namespace: string;

beforeAll(async () => {
  cp = await startControlPlane({ binDir: inject('kubeBinDir') });
  client = new KubeClient(cp.kubeConfig);
  const widgetCrd = (await loadCrds(CRD_DIRS)).filter(
    (c) => c.metadata.name === 'widgets.test.ignition-sync.io',
  );
  await installCrds(client, widgetCrd);
  namespace = await createTestNamespace(client, 'outage');
});

afterAll(async () => {
  await cp?.stop();
});

const widgets = (): { apiVersion: string; plural: string; namespace: string } => ({
  apiVersion: API,
  plural: 'widgets',
  namespace,
});
const create = (name: string, size: number) =>
  client.request<Widget>({
    method: 'POST',
    path: collectionPath(widgets()),
    body: { apiVersion: API, kind: 'Widget', metadata: { name }, spec: { size } },
  });
const remove = (name: string) =>
  client.request({ method: 'DELETE', path: objectPath({ ...widgets(), name }) });
const patchSize = (name: string, size: number) =>
  client.request({ method: 'PATCH', path: objectPath({ ...widgets(), name }), body: { spec: { size } } });

/** The server's view, name → size, to compare with the informer cache. */
async function serverState(): Promise<Record<string, number>> {
  const list = await client.get<{ items: Widget[] }>(collectionPath(widgets()));
  return Object.fromEntries(list.items.map((w) => [w.metadata.name, w.spec.size]));
}

function cacheState(informer: Informer<Widget>): Record<string, number> {
  return Object.fromEntries(informer.list().map((w) => [w.metadata.name, w.spec.size]));
}

/** Bumps etcd's revision with an unrelated key and compacts history, so every older resourceVersion is gone (410). */
async function compactEtcd(etcdUrl: string): Promise<void> {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  const put = await fetch(`${etcdUrl}/v3/kv/put`, {
    method: 'POST',
    body: JSON.stringify({ key: b64('/ignition-sync-test/bump'), value: b64(String(Date.now())) }),
  });
  const { header } = (await put.json()) as { header: { revision: string } };
  const res = await fetch(`${etcdUrl}/v3/kv/compaction`, {
    method: 'POST',
    body: JSON.stringify({ revision: header.revision, physical: true }),
  });
  expect(res.status).toBe(200);
}

describe('informer across apiserver outages', () => {
  it('keeps its cache equal to the server across an apiserver restart and a forced 410 relist', async () => {
    await create('a', 1);
    await create('b', 2);
    const informer = new Informer<Widget>({
      client,
      resource: widgets(),
      logger: createSilentLogger(),
      backoffBaseMs: 200,
      backoffMaxMs: 1000,
    });
    const deleted: string[] = [];
    informer.addHandlers({ onDelete: (w) => deleted.push(w.metadata.name) });
    const stop = new AbortController();
    const running = informer.start(stop.signal);
    try {
      await informer.waitForSync();
      expect(cacheState(informer)).toEqual({ a: 1, b: 2 });

      // 1. Plain restart: the watch breaks, the informer retries with backoff and resumes.
      await cp.stopApiServer();
      await cp.startApiServer();
      await create('c', 3);
      await patchSize('a', 10);
      await waitFor(
        'cache after restart',
        async () => JSON.stringify(cacheState(informer)) === JSON.stringify(await serverState()),
      );
      expect(cacheState(informer)).toEqual({ a: 10, b: 2, c: 3 });

      // 2. Forced 410: while the apiserver is down, etcd history is compacted past the informer's resourceVersion.
      const expiredBefore = informer.stats.expired;
      const listsBefore = informer.stats.lists;
      await cp.stopApiServer();
      await compactEtcd(cp.connection.etcdUrl);
      await cp.startApiServer();
      await remove('b');
      await create('d', 4);
      await waitFor(
        'relist after 410',
        () => informer.stats.expired > expiredBefore && informer.stats.lists > listsBefore,
      );
      await waitFor(
        'cache after 410',
        async () => JSON.stringify(cacheState(informer)) === JSON.stringify(await serverState()),
      );
      expect(cacheState(informer)).toEqual({ a: 10, c: 3, d: 4 });
      expect(deleted).toContain('b');
    } finally {
      stop.abort();
      await running;
    }
  });
});

describe('leader that cannot renew', () => {
  it('stops its controllers within the renew deadline when the apiserver goes away', async () => {
    const timing = { leaseDurationMs: 4000, renewDeadlineMs: 3000, retryPeriodMs: 500 };
    const leader = spawnCandidate({
      connection: cp.connection,
      namespace,
      leaseName: 'outage',
      identity: 'lonely',
      ...timing,
    });
    try {
      await leader.waitForEvent('controller-started');
      const stoppingAt = Date.now();
      await cp.stopApiServer();
      const downAt = Date.now();
      const stopped = await leader.waitForEvent('controller-stopped', {
        since: stoppingAt,
        timeoutMs: 20_000,
      });
      // It may have renewed until the apiserver finished shutting down; it must give up no later than
      // renewDeadline (+ one retry period and scheduling slack) after that.
      expect(stopped.at - downAt).toBeLessThanOrEqual(timing.renewDeadlineMs + timing.retryPeriodMs + 1500);
      expect(await leader.exited).toBe(1);
    } finally {
      leader.child.kill('SIGKILL');
      await cp.startApiServer();
    }
  });
});
