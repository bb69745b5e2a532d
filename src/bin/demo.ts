// `npm start`: the embedded default demo (src/standalone/demo). The only place that reads process.* for it.
import { fileURLToPath } from 'node:url';
import { createLogger, type Logger } from '../observability/index.ts';
import { runDemo } from '../standalone/demo/index.ts';

const controller = new AbortController();
let signals = 0;
const onSignal = (): void => {
  signals += 1;
  // First Ctrl-C: finish the sync in flight, then stop. Second: exit now.
  if (signals > 1) process.exit(130);
  process.stderr.write('\nstopping: finishing the sync in flight (Ctrl-C again to exit now)\n');
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const isTty = process.stdout.isTTY === true;
const level = process.env.IGNITION_SYNC_LOG_LEVEL ?? (isTty ? 'error' : 'info');
let logger: Logger;
try {
  logger = createLogger({ level, destination: process.stderr });
} catch {
  process.stderr.write(
    `npm start failed: IGNITION_SYNC_LOG_LEVEL=${level} is not a log level (fatal, error, warn, info, debug, trace, silent)\n`,
  );
  process.exit(2);
}
let code: number;
try {
  code = await runDemo({
    exampleDir: fileURLToPath(new URL('../../examples/proveit', import.meta.url)),
    stateDir:
      process.env.IGNITION_SYNC_DEMO_DIR ?? fileURLToPath(new URL('../../.state/demo', import.meta.url)),
    listen: process.env.IGNITION_SYNC_DEMO_LISTEN ?? '127.0.0.1:8443',
    cwd: process.cwd(),
    pathEnv: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    stdout: process.stdout,
    logger,
    signal: controller.signal,
  });
} catch (e: unknown) {
  const message = e instanceof Error ? e.message : String(e);
  const hint = message.includes('EADDRINUSE')
    ? ' (set IGNITION_SYNC_DEMO_LISTEN=127.0.0.1:<port> to use another port)'
    : '';
  process.stderr.write(`npm start failed: ${message}${hint}\n`);
  code = 1;
}
process.exit(code);
