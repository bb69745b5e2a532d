import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CycleStep, StepResult, SyncStep, WorkerReply } from './worker-protocol.ts';

const WORKER = fileURLToPath(new URL('./engine-worker.ts', import.meta.url));

/**
 * Parent side of an engine worker process. One request at a time; `stop()` returns the worker's
 * peak RSS (KiB) over its whole life, which is what the RSS column reports per scenario.
 */
export class EngineWorker {
  readonly #child: ChildProcess;
  #pending: ((reply: WorkerReply) => void) | undefined;
  #exitError: Error | undefined;

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.on('message', (reply: WorkerReply) => {
      const pending = this.#pending;
      this.#pending = undefined;
      pending?.(reply);
    });
    child.on('exit', (code) => {
      this.#exitError = new Error(`engine worker exited with code ${code}`);
      const pending = this.#pending;
      this.#pending = undefined;
      pending?.({ type: 'failed', message: this.#exitError.message });
    });
  }

  static async start(): Promise<EngineWorker> {
    const worker = new EngineWorker(fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    const reply = await worker.#next();
    if (reply.type !== 'ready') throw new Error(`engine worker failed to start: ${JSON.stringify(reply)}`);
    return worker;
  }

  async run(step: SyncStep | CycleStep): Promise<StepResult> {
    const next = this.#next();
    this.#child.send({ type: 'run', step });
    const reply = await next;
    if (reply.type === 'done') return reply.result;
    throw new Error(`engine step failed: ${reply.type === 'failed' ? reply.message : reply.type}`);
  }

  /** Asks the worker to exit and returns its peak RSS in KiB. */
  async stop(): Promise<number> {
    const next = this.#next();
    this.#child.send({ type: 'exit' });
    const reply = await next;
    if (reply.type !== 'exiting')
      throw new Error(`engine worker did not exit cleanly: ${JSON.stringify(reply)}`);
    return reply.maxRssKb;
  }

  #next(): Promise<WorkerReply> {
    if (this.#exitError !== undefined) return Promise.reject(this.#exitError);
    return new Promise((resolve) => {
      this.#pending = resolve;
    });
  }
}
