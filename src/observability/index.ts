export { createLogger, createSilentLogger, type Logger, type LoggerConfig, REDACT_PATHS } from './logger.ts';
