// Rewrites the reason table in src/reasons/README.md from the registry. A unit test
// (src/reasons/reasons-table.test.ts) fails when the checked-in table differs.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withReasonsTable } from '../src/reasons/index.ts';

const readmePath = join(import.meta.dirname, '..', 'src', 'reasons', 'README.md');
const current = await readFile(readmePath, 'utf8');
const next = withReasonsTable(current);
if (next === undefined) {
  process.stderr.write('gen-reasons-table: src/reasons/README.md has no table markers\n');
  process.exitCode = 1;
} else if (next !== current) {
  await writeFile(readmePath, next);
  process.stdout.write('gen-reasons-table: wrote src/reasons/README.md\n');
}
