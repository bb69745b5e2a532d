// Writes the generated CRDs to deploy/crds/ (`npm run gen`), or with --check fails when the checked-in
// files differ from what the schemas generate (`npm run gen:check`, part of `npm run check`).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildCrds, crdFileName, renderCrd } from '../src/api/crds/index.ts';

const outDir = join(import.meta.dirname, '..', 'deploy', 'crds');
const check = process.argv.includes('--check');
const wanted = new Map(buildCrds().map((crd) => [crdFileName(crd), renderCrd(crd)]));
const present = (await readdir(outDir)).filter((f) => f.endsWith('.yaml'));

let stale = 0;
for (const [file, text] of wanted) {
  const current = await readFile(join(outDir, file), 'utf8').catch(() => undefined);
  if (current === text) continue;
  if (check) {
    process.stderr.write(
      `gen:check: deploy/crds/${file} is ${current === undefined ? 'missing' : 'stale'}\n`,
    );
    stale += 1;
  } else {
    await writeFile(join(outDir, file), text);
    process.stdout.write(`gen: wrote deploy/crds/${file}\n`);
  }
}
for (const file of present) {
  if (!wanted.has(file)) {
    process.stderr.write(`gen${check ? ':check' : ''}: deploy/crds/${file} is not generated; remove it\n`);
    stale += 1;
  }
}
if (stale > 0) {
  process.stderr.write('gen:check: run `npm run gen` and commit deploy/crds/\n');
  process.exitCode = 1;
}
