import { Option } from 'commander';
import { formatIssue, type LoadedManifests, loadManifests, type ValidationIssue } from '../api/index.ts';
import { profileIssues } from '../standalone/index.ts';
import { ExitCode } from './io.ts';
import type { RegisterCommand } from './program.ts';

interface ValidateOptions {
  readonly filename?: string[];
  readonly recursive: boolean;
  readonly output: 'text' | 'json';
}

/** `file:line: document N (Kind name): path: message` — file:line first so editors and CI can link it. */
export function formatIssueLine(issue: ValidationIssue): string {
  const where = issue.line === undefined ? issue.source : `${issue.source}:${issue.line}`;
  if (issue.documentIndex < 0) return `${where}: ${issue.message}`;
  const what =
    issue.kind === undefined ? '' : ` (${issue.kind}${issue.name === undefined ? '' : ` ${issue.name}`})`;
  return `${where}: document ${issue.documentIndex + 1}${what}: ${formatIssue(issue)}`;
}

function summarize(result: LoadedManifests): string {
  const files = `${result.files.length} file${result.files.length === 1 ? '' : 's'}`;
  if (result.issues.length > 0) {
    const bad = new Set(result.issues.map((i) => i.source)).size;
    return `invalid: ${result.issues.length} error${result.issues.length === 1 ? '' : 's'} in ${bad} of ${files}`;
  }
  const counts = new Map<string, number>();
  for (const d of result.documents) counts.set(d.kind, (counts.get(d.kind) ?? 0) + 1);
  const byKind = [...counts].map(([k, n]) => `${k} ${n}`).join(', ');
  return `valid: ${result.documents.length} document${result.documents.length === 1 ? '' : 's'} in ${files}${byKind === '' ? '' : ` (${byKind})`}`;
}

function toJson(result: LoadedManifests, valid: boolean): string {
  return `${JSON.stringify(
    {
      valid,
      files: result.files,
      documents: result.documents.map((d) => ({
        source: d.source,
        documentIndex: d.documentIndex,
        kind: d.kind,
        name: d.name,
        ...(d.namespace === undefined ? {} : { namespace: d.namespace }),
      })),
      issues: result.issues,
      unreadable: result.unreadable,
    },
    null,
    2,
  )}\n`;
}

/**
 * `ignition-sync validate -f <file|dir>...`: validates IgnitionSync, SyncProfile and Gateway YAML (defaults
 * applied, unknown fields rejected) and prints every problem with file, line, document and field path.
 * Exit 0 valid, 1 invalid, 2 unreadable input.
 */
export const registerValidateCommand: RegisterCommand = (program, ctx) => {
  program
    .command('validate')
    .description(
      'validate IgnitionSync, SyncProfile and Gateway YAML files (for CI); exit 0 valid, 1 invalid, 2 unreadable',
    )
    .option(
      '-f, --filename <file|dir>',
      'file or directory of *.yaml/*.yml to validate (repeatable, required)',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option('-R, --recursive', 'descend into subdirectories of directories given with -f', false)
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (options: ValidateOptions) => {
      const { io } = ctx;
      if (options.filename === undefined || options.filename.length === 0) {
        io.stderr.write("error: required option '-f, --filename <file|dir>' not specified\n");
        ctx.setExitCode(ExitCode.invalidInput);
        return;
      }
      const loaded = await loadManifests(options.filename, { recursive: options.recursive, cwd: io.cwd });
      const result = { ...loaded, issues: [...loaded.issues, ...profileIssues(loaded.documents)] };
      // Nothing to validate is not a pass: an empty `kustomize build` or a wrong -f path must not turn CI green.
      const empty =
        result.documents.length === 0 && result.issues.length === 0 && result.unreadable.length === 0;
      const valid = !empty && result.issues.length === 0 && result.unreadable.length === 0;
      if (empty) {
        if (options.output === 'json') io.stdout.write(toJson(result, false));
        io.stderr.write(
          `invalid: no IgnitionSync, SyncProfile or Gateway documents in ${options.filename.join(', ')}\n`,
        );
        ctx.setExitCode(ExitCode.failed);
        return;
      }
      if (options.output === 'json') {
        io.stdout.write(toJson(result, valid));
      } else {
        for (const issue of result.unreadable) io.stderr.write(`${formatIssueLine(issue)}\n`);
        for (const issue of result.issues) io.stdout.write(`${formatIssueLine(issue)}\n`);
        if (result.unreadable.length === 0) io.stdout.write(`${summarize(result)}\n`);
      }
      ctx.setExitCode(
        result.unreadable.length > 0 ? ExitCode.invalidInput : valid ? ExitCode.ok : ExitCode.failed,
      );
    });
};
