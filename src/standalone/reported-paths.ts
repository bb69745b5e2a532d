import type { SyncResult } from '../sync/index.ts';

/** At most this many paths per list; the rest are counted in `omitted`. */
export const MAX_REPORTED_PATHS = 100;

/** Which paths a dry run would change, or a verification found drifted — a count alone says too little. */
export interface ReportedPaths {
  readonly added: readonly string[];
  readonly modified: readonly string[];
  readonly deleted: readonly string[];
  /** Changed on the gateway behind git's back (found by the verification pass, then corrected). */
  readonly drifted: readonly string[];
  /** In the desired tree but gateway-owned (`gateway.xml`, `config/local/`, ...): never written or deleted. */
  readonly protected: readonly string[];
  /** Paths left out of the lists above because a list reached MAX_REPORTED_PATHS. */
  readonly omitted: number;
}

/**
 * The path lists of a dry run (everything it would do) or of a sync that found drift; undefined otherwise,
 * so an ordinary report keeps its short shape. Pure.
 */
export function reportedPathsOf(
  result: SyncResult | null,
  max = MAX_REPORTED_PATHS,
): ReportedPaths | undefined {
  if (result === null || (!result.dryRun && result.drift.length === 0)) return undefined;
  let omitted = 0;
  const cap = (paths: readonly string[]): readonly string[] => {
    omitted += Math.max(0, paths.length - max);
    return paths.slice(0, max);
  };
  return {
    added: cap(result.dryRun ? result.added : []),
    modified: cap(result.dryRun ? result.modified : []),
    deleted: cap(result.dryRun ? result.deleted : []),
    drifted: cap(result.drift.map((d) => d.path)),
    protected: cap(
      result.dryRun ? result.skipped.filter((s) => s.reason === 'protected').map((s) => s.path) : [],
    ),
    omitted,
  };
}

/** Indented `+ path` / `~ path` / `- path` lines for the text report. Pure. */
export function renderReportedPaths(name: string, paths: ReportedPaths): string {
  const lines = [`${name}:`];
  const list = (mark: string, items: readonly string[]) => {
    for (const p of items) lines.push(`  ${mark} ${p}`);
  };
  list('+', paths.added);
  list('~', paths.modified);
  list('-', paths.deleted);
  list('drift', paths.drifted);
  list('protected (not written)', paths.protected);
  if (paths.omitted > 0) lines.push(`  … ${paths.omitted} more path(s) not listed`);
  if (lines.length === 1) lines.push('  nothing to change');
  return lines.join('\n');
}
