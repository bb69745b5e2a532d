import { Command, CommanderError } from 'commander';
import { registerAgentCommand } from './agent-command.ts';
import { registerControllerCommand } from './controller-command.ts';
import { registerGatewaySimCommand } from './gateway-sim-command.ts';
import { type CliIo, ExitCode } from './io.ts';
import { registerManifestsCommand } from './manifests-command.ts';
import { registerRunCommand } from './run-command.ts';
import { registerValidateCommand } from './validate-command.ts';

/**
 * A command module registers itself here. `setExitCode` records the command's result; the program
 * resolves with it once the action's promise settles.
 */
export interface CommandContext {
  readonly io: CliIo;
  setExitCode(code: number): void;
}

export type RegisterCommand = (program: Command, ctx: CommandContext) => void;

/** Every command of `ignition-sync`, in help order. Each entry lives in its own file in this folder. */
const COMMANDS: readonly RegisterCommand[] = [
  registerRunCommand,
  registerValidateCommand,
  registerControllerCommand,
  registerGatewaySimCommand,
  registerManifestsCommand,
  registerAgentCommand,
];

/** Parses `argv` (without node and script) and runs the chosen command. Resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const ctx: CommandContext = {
    io,
    setExitCode: (code) => {
      exitCode = code;
    },
  };
  const program = new Command('ignition-sync')
    .description('GitOps for Ignition 8.3 gateways: keep gateway projects and config equal to one git commit')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  for (const register of COMMANDS) register(program, ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e: unknown) {
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      ) {
        return ExitCode.ok;
      }
      return ExitCode.invalidInput;
    }
    throw e;
  }
  return exitCode;
}
