import { dirname, resolve } from 'node:path';
import { formatIssue, loadManifests, type ValidationIssue } from '../api/index.ts';
import { profileIssues } from './profile-checks.ts';
import { resolveStandaloneConfig, type StandaloneConfig } from './standalone-config.ts';

export type LoadRunConfigResult =
  | { readonly ok: true; readonly config: StandaloneConfig; readonly files: readonly string[] }
  | { readonly ok: false; readonly problems: readonly string[] };

function describe(issue: ValidationIssue): string {
  const where = [issue.source, issue.line === undefined ? undefined : `line ${issue.line}`]
    .filter(Boolean)
    .join(':');
  const what =
    issue.kind === undefined ? '' : ` ${issue.kind}${issue.name === undefined ? '' : `/${issue.name}`}`;
  return `${where}${what}: ${formatIssue(issue)}`;
}

/**
 * Reads `-f` files and directories (relative to `cwd`), validates every document and every cross
 * reference, and returns the config or all problems at once (exit code 2 territory).
 */
export async function loadRunConfig(paths: readonly string[], cwd: string): Promise<LoadRunConfigResult> {
  const absolute = paths.map((p) => resolve(cwd, p));
  const loaded = await loadManifests(absolute);
  const problems = [...loaded.unreadable, ...loaded.issues, ...profileIssues(loaded.documents)].map(describe);
  const { config, issues } = resolveStandaloneConfig(loaded.documents, (source) =>
    dirname(resolve(cwd, source)),
  );
  problems.push(...issues.map(describe));
  for (const sync of config.syncs) {
    // Silently syncing what was meant to wait for an approval would be worse than refusing to start.
    if (sync.spec.approval?.required === true) {
      problems.push(
        `IgnitionSync/${sync.name}: spec.approval.required is not supported by ignition-sync run (there is no approval channel without Kubernetes); remove it or use the operator`,
      );
    }
    // The API accepts gpgKey, but no commit signature is verified yet: syncing would betray the promise.
    if (sync.spec.git.auth?.gpgKey !== undefined) {
      problems.push(
        `IgnitionSync/${sync.name}: spec.git.auth.gpgKey is set, but commit signature verification is not implemented yet; refusing to sync commits it would not verify (remove gpgKey to sync unverified commits)`,
      );
    }
  }
  if (problems.length === 0 && config.syncs.every((s) => s.gateways.length === 0)) {
    problems.push('no Gateway documents: nothing to sync (see examples/proveit/config/gateways.yaml)');
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config, files: loaded.files };
}
