import { relative } from 'node:path';

export interface DemoBannerInput {
  readonly cwd: string;
  readonly repoDir: string;
  readonly webhookSecretFile: string;
  readonly webhookUrl: string;
  readonly gateways: ReadonlyArray<{ readonly name: string; readonly url: string; readonly dataDir: string }>;
  readonly isNew: boolean;
  /** The tag the recipe creates: the next free one, so the recipe works on every run. */
  readonly nextTag: string;
}

/**
 * The next release tag after the highest `major.minor.patch` tag (`2.0.0`, `2.0.1` → `2.0.2`); `2.0.1` when
 * there is none beyond the initial one. Pure.
 */
export function nextReleaseTag(tags: readonly string[], initial = '2.0.0'): string {
  const versions = [...tags, initial]
    .map((t) => /^v?(\d+)\.(\d+)\.(\d+)$/.exec(t.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [Number(m[1]), Number(m[2]), Number(m[3])] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const [major, minor, patch] = versions[versions.length - 1] ?? [2, 0, 0];
  return `${major}.${minor}.${patch + 1}`;
}

/** `word` as one shell word: as is when safe, else single-quoted. */
function shellWord(word: string): string {
  return /^[\w./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** A path relative to `cwd` when inside it (absolute otherwise), as a shell word. */
function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return shellWord(rel === '' || rel.startsWith('..') ? path : rel);
}

/** What `npm start` prints once everything listens: where things are and how to trigger a sync. Pure. */
export function renderDemoBanner(input: DemoBannerInput): string {
  const repo = shown(input.cwd, input.repoDir);
  const secret = shown(input.cwd, input.webhookSecretFile);
  const lines = [
    '',
    `ignition-sync demo: ProveIt 2026, one site and four area gateways (${input.isNew ? 'created' : 'reused'} state)`,
    '',
    `  repository  ${repo}   (IgnitionSync site1/proveit-sync follows tag 2.0.0)`,
    `  webhook     ${input.webhookUrl}`,
    ...input.gateways.map(
      (g) => `  ${g.name.padEnd(10)}  ${g.url}   data dir ${shown(input.cwd, g.dataDir)}`,
    ),
    '',
    'Change a file, commit, tag, and ask for the new tag (Argo CD / Kargo style, bearer token):',
    '',
    `  cd ${repo}`,
    "  echo '# changed' >> shared/scripts/code.py",
    `  git commit -qam 'change the exchange helper' && git tag ${input.nextTag}`,
    `  curl -sS -X POST ${input.webhookUrl} -H 'Content-Type: application/json' \\`,
    `    -H "Authorization: Bearer $(cat ${shellWord(input.webhookSecretFile)})" -d '{"ref":"${input.nextTag}"}'`,
    '',
    `Webhook key: ${secret}. Ctrl-C stops; npm start again resumes with the same repository and data.`,
    '',
  ];
  return lines.join('\n');
}
