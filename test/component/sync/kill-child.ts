// Child process for kill.test.ts: runs one sync and is SIGKILLed by the parent at a random moment.
import { type SyncInput, syncDataDir } from '../../../src/sync/index.ts';

const input = JSON.parse(process.argv[2] ?? '{}') as SyncInput;
process.stdout.write('ready\n');
await syncDataDir(input);
process.stdout.write('done\n');
