import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/observability/index.ts';

/** A debug-level logger whose JSON lines the test reads back (to prove what is, and is not, logged). */
export function captureLogger(): { logger: Logger; text: () => string } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), text: () => chunks.join('') };
}
