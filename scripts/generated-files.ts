// Shared by the generators (gen-crds.ts, gen-manifests.ts): write the generated files of one folder, or with
// --check report each missing, stale or unexpected file and fail (`npm run gen:check`, part of `npm test`).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Writes (or checks) exactly `wanted` (file name → text) as the `*.yaml` files of `outDir`. */
export async function syncGeneratedFiles(outDir: string, wanted: ReadonlyMap<string, string>): Promise<void> {
  const check = process.argv.includes('--check');
  const shown = relative(join(import.meta.dirname, '..'), outDir);
  const present = (await readdir(outDir).catch(() => [] as string[])).filter((f) => f.endsWith('.yaml'));
  let stale = 0;
  for (const [file, text] of wanted) {
    const current = await readFile(join(outDir, file), 'utf8').catch(() => undefined);
    if (current === text) continue;
    if (check) {
      process.stderr.write(`gen:check: ${shown}/${file} is ${current === undefined ? 'missing' : 'stale'}\n`);
      stale += 1;
    } else {
      await writeFile(join(outDir, file), text);
      process.stdout.write(`gen: wrote ${shown}/${file}\n`);
    }
  }
  for (const file of present) {
    if (!wanted.has(file)) {
      process.stderr.write(`gen${check ? ':check' : ''}: ${shown}/${file} is not generated; remove it\n`);
      stale += 1;
    }
  }
  if (stale > 0) {
    process.stderr.write(`gen:check: run \`npm run gen\` and commit ${shown}/\n`);
    process.exitCode = 1;
  }
}
