// The informer's list/watch protocol handling against a scripted loopback server (no apiserver needed):
// bookmarks advance the resume point, an ERROR 410 relists and delivers deletions missed meanwhile, and a
// silent watch is restarted by the watchdog.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { Informer, KubeClient } from '../../src/kube/index.ts';
import { createSilentLogger } from '../../src/observability/index.ts';
import { waitFor } from '../harness/kube/index.ts';

interface Thing {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; resourceVersion: string };
}

const thing = (name: string, rv: number): Thing => ({
  apiVersion: 'test.io/v1',
  kind: 'Thing',
  metadata: { name, namespace: 'ns', resourceVersion: String(rv) },
});

type WatchScript = (res: ServerResponse, query: URLSearchParams) => void;

/** Serves LIST from `items` and each WATCH with the next script (the last one repeats). */
function startFakeApi(initial: { items: Thing[]; rv: number }, scripts: WatchScript[]) {
  const state = { ...initial, lists: 0, watchQueries: [] as URLSearchParams[] };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/apis/test.io/v1/namespaces/ns/things') {
      res.writeHead(404).end();
      return;
    }
    if (url.searchParams.get('watch') !== 'true') {
      state.lists += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          apiVersion: 'test.io/v1',
          kind: 'ThingList',
          metadata: { resourceVersion: String(state.rv) },
          items: state.items,
        }),
      );
      return;
    }
    state.watchQueries.push(url.searchParams);
    const script = scripts[Math.min(state.watchQueries.length - 1, scripts.length - 1)];
    res.writeHead(200, { 'content-type': 'application/json' });
    script?.(res, url.searchParams);
  });
  return { server, state };
}

const line = (res: ServerResponse, type: string, object: unknown): void => {
  res.write(`${JSON.stringify({ type, object })}\n`);
};

let server: Server | undefined;
/** Informers a test started: stopped even when the test failed before stopping them. */
const stops: AbortController[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) stop.abort();
  const s = server;
  server = undefined;
  if (s === undefined) return;
  s.closeAllConnections();
  await new Promise((r) => s.close(r));
});

function stopper(): AbortController {
  const stop = new AbortController();
  stops.push(stop);
  return stop;
}

async function informerFor(
  fake: Server,
  watchdogMs = 60_000,
  resyncPeriodMs?: number,
): Promise<Informer<Thing>> {
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', () => r()));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: 'f', server: `http://127.0.0.1:${(fake.address() as AddressInfo).port}`, skipTLSVerify: true },
    ],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'f', cluster: 'f', user: 'u' }],
    currentContext: 'f',
  });
  return new Informer<Thing>({
    client: new KubeClient(kc),
    resource: { apiVersion: 'test.io/v1', plural: 'things', namespace: 'ns' },
    logger: createSilentLogger(),
    backoffBaseMs: 10,
    backoffMaxMs: 50,
    watchdogMs,
    ...(resyncPeriodMs === undefined ? {} : { resyncPeriodMs }),
  });
}

describe('informer watch protocol', () => {
  it('resumes from the last bookmark, relists on 410 and delivers the deletion it missed', async () => {
    const fake = startFakeApi({ items: [thing('a', 5), thing('b', 6)], rv: 10 }, [
      (res) => {
        line(res, 'ADDED', thing('c', 11));
        line(res, 'BOOKMARK', {
          kind: 'Thing',
          apiVersion: 'test.io/v1',
          metadata: { resourceVersion: '15' },
        });
        res.end();
      },
      (res) => {
        // While "disconnected", a was deleted and history compacted.
        fake.state.items = [thing('b', 6), thing('c', 11)];
        fake.state.rv = 20;
        line(res, 'ERROR', {
          kind: 'Status',
          code: 410,
          reason: 'Expired',
          message: 'too old resource version: 15 (18)',
        });
        res.end();
      },
      () => {
        // Hold the third watch open without events.
      },
    ]);
    server = fake.server;
    const informer = await informerFor(fake.server);
    const deleted: string[] = [];
    informer.addHandlers({ onDelete: (t) => deleted.push(t.metadata.name) });
    const stop = stopper();
    const running = informer.start(stop.signal);
    await waitFor('third watch', () => fake.state.watchQueries.length >= 3);
    const [first, second, third] = fake.state.watchQueries;
    expect(first?.get('resourceVersion')).toBe('10');
    expect(first?.get('allowWatchBookmarks')).toBe('true');
    expect(Number(first?.get('timeoutSeconds'))).toBeGreaterThanOrEqual(300);
    expect(second?.get('resourceVersion')).toBe('15');
    expect(third?.get('resourceVersion')).toBe('20');
    expect(fake.state.lists).toBe(2);
    expect(informer.stats.expired).toBe(1);
    expect(informer.keys().sort()).toEqual(['ns/b', 'ns/c']);
    expect(deleted).toEqual(['a']);
    stop.abort();
    await running;
  });

  it('restarts a watch that stays silent longer than the watchdog, without relisting', async () => {
    const fake = startFakeApi({ items: [thing('a', 5)], rv: 10 }, [() => {}]);
    server = fake.server;
    const informer = await informerFor(fake.server, 300);
    const stop = stopper();
    const running = informer.start(stop.signal);
    await waitFor(
      'watchdog restarts',
      () => informer.stats.watchdogRestarts >= 2 && fake.state.watchQueries.length >= 3,
    );
    expect(fake.state.lists).toBe(1);
    expect(fake.state.watchQueries.every((q) => q.get('resourceVersion') === '10')).toBe(true);
    stop.abort();
    await running;
  });

  it('periodic resync re-delivers every cached object as an update without contacting the server', async () => {
    const fake = startFakeApi({ items: [thing('a', 5), thing('b', 6)], rv: 10 }, [() => {}]);
    server = fake.server;
    const informer = await informerFor(fake.server, 60_000, 200);
    const resynced: string[] = [];
    informer.addHandlers({ onUpdate: (o, n) => o === n && resynced.push(n.metadata.name) });
    const stop = stopper();
    const running = informer.start(stop.signal);
    await waitFor('two resyncs', () => resynced.length >= 4);
    expect(resynced.slice(0, 4).sort()).toEqual(['a', 'a', 'b', 'b']);
    expect(fake.state.lists).toBe(1);
    expect(fake.state.watchQueries).toHaveLength(1);
    stop.abort();
    await running;
  });
});
