import { Option } from 'commander';

/** pino's levels: anything else would make the logger throw before the command runs. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** `--log-level <level>`, restricted to pino's levels (a typo is invalid input, exit 2, not a crash). */
export function logLevelOption(description: string): Option {
  return new Option('--log-level <level>', description).choices(LOG_LEVELS);
}
