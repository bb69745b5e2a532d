// `npm run lint:imports` (part of `npm run check`): checks every import in src/ against the import rule table
// in .dependency-cruiser.ts and prints one line per violation:
//   src/git/x.ts imports src/sync/y.ts: git may import only errors, observability, api
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import config from '../.dependency-cruiser.ts';

/** The violations of the rule table in `root`'s src/ (one line each, sorted); empty when it holds. */
export async function findImportViolations(root: string): Promise<string[]> {
  const { output } = await cruise(['src'], {
    ...config.options,
    baseDir: root,
    validate: true,
    ruleSet: { forbidden: config.forbidden ?? [] },
  });
  const result = output as ICruiseResult;
  const rules = new Map((config.forbidden ?? []).map((r) => [r.name, r]));
  const lines = result.summary.violations.map((v) => {
    const rule = rules.get(v.rule.name);
    const comment = rule?.comment ?? v.rule.name;
    // A rule without a `to` restriction is about the importing file itself (one line per file).
    const aboutFile = rule !== undefined && 'to' in rule && Object.keys(rule.to).length === 0;
    return aboutFile ? `${v.from}: ${comment}` : `${v.from} imports ${v.to}: ${comment}`;
  });
  return [...new Set(lines)].sort();
}

if (import.meta.main) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const violations = await findImportViolations(root);
  for (const line of violations) process.stderr.write(`${line}\n`);
  if (violations.length > 0) {
    process.stderr.write(
      `lint:imports: ${violations.length} import(s) break the rule table in .dependency-cruiser.ts\n`,
    );
    process.exitCode = 1;
  }
}
