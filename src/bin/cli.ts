#!/usr/bin/env node
// The CLI entrypoint: the only place that reads process.argv/env, installs signal handlers and exits.
import { runCli } from '../cli/index.ts';

const controller = new AbortController();
let signals = 0;
const onSignal = (): void => {
  signals += 1;
  // First signal: stop cleanly (commands finish the file they are writing). Second: exit now.
  if (signals > 1) process.exit(130);
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
});
process.exitCode = code;
// Servers and timers of long-running commands are closed by their own shutdown; exit explicitly so that a
// forgotten handle cannot keep a finished one-shot command alive.
process.exit(code);
