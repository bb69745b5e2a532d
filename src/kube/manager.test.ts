import { describe, expect, it } from 'vitest';
import { createSilentLogger } from '../observability/index.ts';
import { Manager } from './manager.ts';
import type { Runnable } from './runnable.ts';

function fakeRunnable(name: string, needsLeader: boolean, log: string[]): Runnable {
  return {
    name,
    needsLeader,
    start: (signal) =>
      new Promise<void>((resolve) => {
        log.push(`start ${name}`);
        signal.addEventListener('abort', () => {
          log.push(`stop ${name}`);
          resolve();
        });
      }),
  };
}

describe('Manager', () => {
  it('starts controllers only after the caches synced, and stops everything on the signal', async () => {
    const log: string[] = [];
    let markSynced = (): void => {};
    let synced = false;
    const cache = {
      hasSynced: () => synced,
      waitForSync: () =>
        new Promise<void>((resolve) => {
          markSynced = () => {
            synced = true;
            log.push('synced');
            resolve();
          };
        }),
    };
    const manager = new Manager({ logger: createSilentLogger() })
      .add(fakeRunnable('informer', false, log))
      .add(fakeRunnable('controller', true, log))
      .addCache(cache);
    const stop = new AbortController();
    const done = manager.start(stop.signal);
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['start informer']);
    expect(manager.hasSynced()).toBe(false);
    markSynced();
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['start informer', 'synced', 'start controller']);
    stop.abort();
    await done;
    expect(log.slice(3).sort()).toEqual(['stop controller', 'stop informer']);
  });

  it('a failing runnable stops the others', async () => {
    const log: string[] = [];
    const failing: Runnable = {
      name: 'bad',
      needsLeader: false,
      start: async () => Promise.reject(new Error('port in use')),
    };
    const manager = new Manager({ logger: createSilentLogger() })
      .add(fakeRunnable('controller', true, log))
      .add(failing);
    await expect(manager.start(new AbortController().signal)).rejects.toThrow('port in use');
    expect(log).toContain('stop controller');
  });
});
