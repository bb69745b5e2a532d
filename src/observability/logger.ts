import { type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger } from 'pino';

/** Field paths whose values are replaced with "[redacted]" in every log line. */
export const REDACT_PATHS: readonly string[] = [
  '*.token',
  '*.apiKey',
  '*.password',
  '*.secret',
  '*.hmacKey',
  '*.privateKey',
  'req.headers.authorization',
  'req.headers["x-ignition-api-token"]',
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-hub-signature"]',
  'req.headers["x-gitea-signature"]',
  'req.headers["x-forgejo-signature"]',
  'req.headers["x-gitlab-token"]',
];

export interface LoggerConfig {
  readonly level?: string;
  readonly name?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to read lines back. */
  readonly destination?: NodeJS.WritableStream;
}

/** Creates a root structured (JSON) logger. Entry points (`src/bin`, CLI commands) call this; library code receives a logger. */
export function createLogger(config: LoggerConfig = {}): Logger {
  const options: LoggerOptions = {
    level: config.level ?? 'info',
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  if (config.name !== undefined) options.name = config.name;
  return config.destination === undefined ? pino(options) : pino(options, config.destination);
}

/** A logger that drops everything; for library callers that do not care. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
