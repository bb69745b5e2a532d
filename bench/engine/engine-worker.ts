/**
 * Engine worker: a long-lived Node process that runs sync steps on request, the way the standalone
 * runner or the agent does, and reports its peak RSS when told to exit. Started by EngineWorker.
 */

import { loadEngine } from './load-engine.ts';
import type { CycleStep, StepResult, SyncStep, WorkerReply, WorkerRequest } from './worker-protocol.ts';

const engine = await loadEngine();

const reply = (message: WorkerReply): void => {
  process.send?.(message);
};

async function runSync(step: SyncStep): Promise<StepResult> {
  await engine.checkApplied(step.dataDir, step.expectApplied);
  const started = performance.now();
  const result = await engine.sync(step);
  return { ...result, ms: performance.now() - started };
}

async function runCycle(step: CycleStep): Promise<StepResult> {
  await engine.checkApplied(step.dataDir, step.expectApplied);
  const started = performance.now();
  const result = await engine.cycle(step);
  return { ...result, ms: performance.now() - started };
}

process.on('message', (message: WorkerRequest) => {
  if (message.type === 'exit') {
    reply({ type: 'exiting', maxRssKb: process.resourceUsage().maxRSS });
    process.disconnect();
    return;
  }
  const run = message.step.kind === 'sync' ? runSync(message.step) : runCycle(message.step);
  run.then(
    (result) => reply({ type: 'done', result }),
    (e: unknown) =>
      reply({ type: 'failed', message: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
  );
});
reply({ type: 'ready' });
