import { relative } from 'node:path';

export interface DemoBannerInput {
  readonly cwd: string;
  readonly repoDir: string;
  readonly webhookSecretFile: string;
  readonly webhookUrl: string;
  readonly gateways: ReadonlyArray<{ readonly name: string; readonly url: string; readonly dataDir: string }>;
  readonly isNew: boolean;
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
    "  git commit -qam 'change the exchange helper' && git tag 2.0.1",
    `  curl -sS -X POST ${input.webhookUrl} -H 'Content-Type: application/json' \\`,
    `    -H "Authorization: Bearer $(cat ${shellWord(input.webhookSecretFile)})" -d '{"ref":"2.0.1"}'`,
    '',
    `Webhook key: ${secret}. Ctrl-C stops; npm start again resumes with the same repository and data.`,
    '',
  ];
  return lines.join('\n');
}
