// Child process for kill.test.ts: runs one sync and is SIGKILLed, by the parent at a random moment or by
// itself right before its Nth filesystem mutation (`killAtStep`).
import { type SyncInput, syncDataDir } from '../../../src/sync/index.ts';

const { killAtStep, ...input } = JSON.parse(process.argv[2] ?? '{}') as SyncInput & { killAtStep?: number };
let steps = 0;
process.stdout.write('ready\n');
await syncDataDir({
  ...input,
  onMutation: () => {
    steps += 1;
    if (steps === killAtStep) process.kill(process.pid, 'SIGKILL');
  },
});
process.stdout.write(`done ${steps}\n`);
