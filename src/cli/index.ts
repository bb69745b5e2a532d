export { type CliIo, ExitCode } from './io.ts';
export { type CommandContext, type RegisterCommand, runCli } from './program.ts';
