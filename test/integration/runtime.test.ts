import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type Condition,
  Controller,
  collectionPath,
  EventRecorder,
  findCondition,
  Informer,
  isBeingDeleted,
  isConflict,
  KubeClient,
  objectPath,
  setCondition,
  splitObjectKey,
  updateFinalizer,
  updateStatus,
} from '../../src/kube/index.ts';
import { createSilentLogger } from '../../src/observability/index.ts';
import { createTestNamespace, kubeConfigFor, waitFor } from '../harness/kube/index.ts';

interface Widget {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    resourceVersion?: string;
    generation?: number;
    uid?: string;
    finalizers?: string[];
  };
  spec: { size: number; color?: string };
  status?: { counter?: number; observedGeneration?: number; conditions?: Condition[] };
}

const API = 'test.ignition-sync.io/v1';
const log = createSilentLogger();
let client: KubeClient;
let namespace: string;
const widgets = (): { apiVersion: string; plural: string; namespace: string } => ({
  apiVersion: API,
  plural: 'widgets',
  namespace,
});

async function createWidget(name: string, size: number): Promise<Widget> {
  return client.request<Widget>({
    method: 'POST',
    path: collectionPath(widgets()),
    body: { apiVersion: API, kind: 'Widget', metadata: { name }, spec: { size } },
  });
}

beforeAll(async () => {
  client = new KubeClient(kubeConfigFor(inject('kube')));
  namespace = await createTestNamespace(client, 'runtime');
});

describe('informer + controller on the real apiserver', () => {
  const stop = new AbortController();
  afterAll(() => stop.abort());

  it('reconciles each widget from the cache and writes status.observedGeneration and Ready', async () => {
    const informer = new Informer<Widget>({ client, resource: widgets(), logger: log });
    const reconciled: string[] = [];
    const controller = new Controller({
      name: 'widgets',
      logger: log,
      workers: 2,
      reconcile: async (key, ctx) => {
        const cached = informer.get(key);
        if (cached === undefined) return undefined; // deleted: nothing to do
        reconciled.push(key);
        const { name } = splitObjectKey(key);
        await updateStatus<Widget, NonNullable<Widget['status']>>(
          client,
          { ...widgets(), name },
          (status, obj) => ({
            ...status,
            observedGeneration: obj.metadata.generation ?? 0,
            conditions: setCondition(
              status?.conditions,
              { type: 'Ready', status: 'True', reason: 'Reconciled', message: `size ${obj.spec.size}` },
              ctx.now(),
            ),
          }),
          { signal: ctx.signal },
        );
        return undefined;
      },
    });
    const enqueue = (w: Widget): void => controller.enqueue(`${w.metadata.namespace}/${w.metadata.name}`);
    informer.addHandlers({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    void informer.start(stop.signal);
    await informer.waitForSync(stop.signal);
    void controller.start(stop.signal);

    await createWidget('w1', 1);
    await createWidget('w2', 2);
    const readStatus = async (name: string) =>
      (await client.get<Widget>(objectPath({ ...widgets(), name }))).status;
    await waitFor('w1 and w2 Ready', async () => {
      const [a, b] = [await readStatus('w1'), await readStatus('w2')];
      return (
        findCondition(a?.conditions, 'Ready')?.status === 'True' &&
        findCondition(b?.conditions, 'Ready')?.status === 'True'
      );
    });

    // A spec change bumps generation; the controller sees it through the watch and records it.
    await client.request({
      method: 'PATCH',
      path: objectPath({ ...widgets(), name: 'w1' }),
      body: { spec: { size: 5 } },
    });
    const status = await waitFor('w1 observedGeneration 2', async () => {
      const s = await readStatus('w1');
      return s?.observedGeneration === 2 ? s : undefined;
    });
    expect(findCondition(status.conditions, 'Ready')?.message).toBe('size 5');
    expect(informer.get(`${namespace}/w1`)?.spec).toEqual({ size: 5, color: 'blue' });
    expect(reconciled).toContain(`${namespace}/w2`);
  });
});

describe('status updates, finalizers and events', () => {
  it('concurrent status updates all land: conflicts are re-read and re-applied', async () => {
    await createWidget('counter', 1);
    const ref = { ...widgets(), name: 'counter' };
    const bump = (): Promise<Widget> =>
      updateStatus<Widget, NonNullable<Widget['status']>>(
        client,
        ref,
        (s) => ({ ...s, counter: (s?.counter ?? 0) + 1 }),
        { maxAttempts: 20 },
      );
    await Promise.all(Array.from({ length: 8 }, bump));
    const stored = await client.get<Widget>(objectPath(ref));
    expect(stored.status?.counter).toBe(8);
  });

  it('a status write leaves spec alone and keeps lastTransitionTime when the status does not flip', async () => {
    await createWidget('conds', 1);
    const ref = { ...widgets(), name: 'conds' };
    const t0 = new Date('2026-01-01T00:00:00Z');
    const t1 = new Date('2026-01-01T00:05:00Z');
    const set = (reason: string, now: Date) =>
      updateStatus<Widget, NonNullable<Widget['status']>>(client, ref, (s) => ({
        ...s,
        conditions: setCondition(s?.conditions, { type: 'Ready', status: 'False', reason, message: '' }, now),
      }));
    await set('Progressing', t0);
    const after = await set('GatewayUnreachable', t1);
    expect(findCondition(after.status?.conditions, 'Ready')).toMatchObject({
      reason: 'GatewayUnreachable',
      lastTransitionTime: '2026-01-01T00:00:00Z',
    });
    expect(after.spec.size).toBe(1);
    expect(after.metadata.generation).toBe(1);
  });

  it('finalizer add/remove is guarded by resourceVersion: a stale object gets 409', async () => {
    const created = await createWidget('fin', 1);
    const withFinalizer = await updateFinalizer(client, widgets(), created, {
      finalizer: 'test.ignition-sync.io/cleanup',
      op: 'add',
    });
    expect(withFinalizer.metadata.finalizers).toEqual(['test.ignition-sync.io/cleanup']);
    const stale = await updateFinalizer(client, widgets(), created, {
      finalizer: 'other.io/x',
      op: 'add',
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isConflict((stale as Error | undefined)?.cause)).toBe(true);
    await client.request({ method: 'DELETE', path: objectPath({ ...widgets(), name: 'fin' }) });
    const terminating = await client.get<Widget>(objectPath({ ...widgets(), name: 'fin' }));
    expect(isBeingDeleted(terminating)).toBe(true);
    await updateFinalizer(client, widgets(), terminating, {
      finalizer: 'test.ignition-sync.io/cleanup',
      op: 'remove',
    });
    await waitFor('widget fin gone', async () =>
      client.get(objectPath({ ...widgets(), name: 'fin' })).then(
        () => false,
        (e: unknown) => (e as { code?: number }).code === 404,
      ),
    );
  });

  it('identical events are aggregated into one Event with a count', async () => {
    const widget = await createWidget('evented', 1);
    const recorder = new EventRecorder({
      client,
      component: 'ignition-sync-test',
      instance: 'test-0',
      logger: log,
    });
    for (let i = 0; i < 3; i++)
      await recorder.event(
        widget,
        'Warning',
        'GatewayUnreachable',
        'gateway unreachable: connection refused',
      );
    await recorder.event(widget, 'Normal', 'Synced', 'synced abc123');
    const list = await client.get<{
      items: Array<{ reason: string; count: number; involvedObject: { uid: string }; type: string }>;
    }>(
      `${collectionPath({ apiVersion: 'v1', plural: 'events', namespace })}?fieldSelector=involvedObject.name=evented`,
    );
    const byReason = Object.fromEntries(list.items.map((e) => [e.reason, e]));
    expect(list.items).toHaveLength(2);
    expect(byReason.GatewayUnreachable).toMatchObject({
      count: 3,
      type: 'Warning',
      involvedObject: { uid: widget.metadata.uid },
    });
    expect(byReason.Synced?.count).toBe(1);
  });
});
