import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findImportViolations } from './check-imports.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

// A small tree with one of each kind of violation next to imports that are allowed.
const FILES: Record<string, string> = {
  'src/errors.ts': 'export class OperatorError extends Error {}\n',
  'src/errors.test.ts': "import { OperatorError } from './errors.ts';\nexport const e = OperatorError;\n",
  'src/observability/index.ts': 'export type Logger = { info(m: string): void };\n',
  'src/reasons/index.ts': "import { OperatorError } from '../errors.ts';\nexport const R = OperatorError;\n",
  'src/reasons/bad.ts': "import type { Logger } from '../observability/index.ts';\nexport type L = Logger;\n",
  'src/api/index.ts':
    "export { R } from '../reasons/index.ts';\nexport const isValidGitRef = (r: string) => r !== '';\n",
  'src/api/crds/index.ts':
    "import { isValidGitRef } from '../index.ts';\nexport const buildCrds = () => isValidGitRef('x');\n",
  'src/git/index.ts': "export { a } from './a.ts';\nexport type { G } from './types.ts';\n",
  'src/git/types.ts': 'export type G = string;\n',
  // forbidden: git may not import sync
  'src/git/a.ts':
    "import { s } from '../sync/index.ts';\nimport { isValidGitRef } from '../api/index.ts';\nexport const a = isValidGitRef(String(s));\n",
  // forbidden: production code imports test/
  'src/git/h.ts': "import { harness } from '../../test/harness/h.ts';\nexport const h = harness;\n",
  // forbidden: does not resolve
  'src/git/missing.ts': "export { nothing } from './not-there.ts';\n",
  'src/sync/index.ts':
    "import { OperatorError } from '../errors.ts';\nexport const s = OperatorError.name;\n",
  // forbidden, type-only: sync may not import git
  'src/sync/b.ts': "import type { G } from '../git/index.ts';\nexport type B = G;\n",
  // forbidden, re-export: sync may not import ignition
  'src/sync/c.ts': "export { i } from '../ignition/index.ts';\n",
  // forbidden, dynamic import: sync may not import kube
  'src/sync/d.ts': "export const load = () => import('../kube/index.ts');\n",
  // allowed: a unit test may use another component's entry point and test/
  'src/sync/e.test.ts':
    "import { isValidGitRef } from '../api/index.ts';\nimport { harness } from '../../test/harness/h.ts';\nexport const t = [isValidGitRef, harness];\n",
  'src/ignition/index.ts': "export { i } from './client/x.ts';\n",
  'src/ignition/client/x.ts': 'export const i = 1;\n',
  // forbidden: production code of ignition itself imports the simulator
  'src/ignition/client/y.ts': "import { sim } from '../simulator/index.ts';\nexport const y = sim;\n",
  'src/ignition/simulator/index.ts': "export { sim } from './sim.ts';\n",
  'src/ignition/simulator/sim.ts': "import { i } from '../client/x.ts';\nexport const sim = i;\n",
  'src/kube/index.ts': 'export const k = 1;\n',
  // forbidden: nothing imports cli but bin
  'src/kube/k.ts': "import { run } from '../cli/index.ts';\nexport const k2 = run;\n",
  'src/cli/index.ts':
    "import { sim } from '../ignition/simulator/index.ts';\nimport { k } from '../kube/index.ts';\nexport const run = [sim, k];\n",
  'src/bin/main.ts': "import { run } from '../cli/index.ts';\nexport const main = run;\n",
  'src/standalone/index.ts': "import { i } from '../ignition/index.ts';\nexport const st = i;\n",
  // forbidden: bypasses src/ignition/index.ts
  'src/standalone/s.ts': "import { i } from '../ignition/client/x.ts';\nexport const s2 = i;\n",
  // forbidden: standalone production code imports the demo
  'src/standalone/t.ts': "import { demo } from './demo/index.ts';\nexport const t2 = demo;\n",
  'src/standalone/demo/index.ts':
    "import { sim } from '../../ignition/simulator/index.ts';\nimport { st } from '../index.ts';\nexport const demo = [sim, st];\n",
  // forbidden: gateway-sync may never import kube
  'src/gateway-sync/index.ts':
    "import { s } from '../sync/index.ts';\nimport { k } from '../kube/index.ts';\nexport const gs = [s, k];\n",
  // forbidden: controller may not import sync
  'src/controller/index.ts': "import { s } from '../sync/index.ts';\nexport const c = s;\n",
  // allowed: the agent may import gateway-sync and kube
  'src/agent/index.ts':
    "import { gs } from '../gateway-sync/index.ts';\nimport { k } from '../kube/index.ts';\nexport const ag = [gs, k];\n",
  // forbidden: a folder missing from the rule table
  'src/newthing/index.ts': "import { s } from '../sync/index.ts';\nexport const n = s;\n",
  'test/harness/h.ts': 'export const harness = 1;\n',
  // forbidden: a unit test may import test/ but not bench/
  'src/sync/f.test.ts': "import { b } from '../../bench/b.ts';\nexport const f = b;\n",
  'bench/b.ts': 'export const b = 1;\n',
  // forbidden: a unit test outside cli imports cli
  'src/sync/g.test.ts': "import { run } from '../cli/index.ts';\nexport const g = run;\n",
  // forbidden: a file directly under src/ that is no component
  'src/stray.ts': 'export const stray = 1;\n',
  'src/kube/u.ts': "import { stray } from '../stray.ts';\nexport const u = stray;\n",
};

describe('import boundaries (.dependency-cruiser.ts)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'check-imports-'));
    for (const [path, text] of Object.entries(FILES)) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), text);
    }
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('fails with one line per forbidden import and passes the allowed ones', async () => {
    expect(await findImportViolations(root)).toEqual([
      'src/controller/index.ts imports src/sync/index.ts: controller may import only api, git, kube, webhooks, errors, observability',
      'src/gateway-sync/index.ts imports src/kube/index.ts: gateway-sync may import only api, git, sync, ignition, errors, observability',
      'src/git/a.ts imports src/sync/index.ts: git may import only errors, observability, api',
      'src/git/h.ts imports test/harness/h.ts: code in src/ must not import test/, bench/ or anything else outside src/',
      'src/git/missing.ts imports ./not-there.ts: the import does not resolve to a file, so its boundary cannot be checked',
      'src/ignition/client/y.ts imports src/ignition/simulator/index.ts: production code must not import the gateway simulator (only src/cli/, src/bin/, src/standalone/demo/ and tests may)',
      'src/kube/k.ts imports src/cli/index.ts: kube may import only errors, observability',
      'src/kube/u.ts imports src/stray.ts: kube may import only errors, observability',
      'src/kube/u.ts imports src/stray.ts: the imported file is in no component of the rule table in .dependency-cruiser.ts',
      'src/newthing/index.ts: the importing file is in no component of the rule table in .dependency-cruiser.ts: add it there',
      'src/reasons/bad.ts imports src/observability/index.ts: reasons may import only errors',
      'src/standalone/s.ts imports src/ignition/client/x.ts: import ignition only through src/ignition/index.ts or src/ignition/simulator/index.ts',
      'src/standalone/t.ts imports src/standalone/demo/index.ts: production code must not import the npm start demo (only src/cli/, src/bin/, src/standalone/demo/ and tests may)',
      'src/sync/b.ts imports src/git/index.ts: sync may import only errors, observability',
      'src/sync/c.ts imports src/ignition/index.ts: sync may import only errors, observability',
      'src/sync/d.ts imports src/kube/index.ts: sync may import only errors, observability',
      'src/sync/f.test.ts imports bench/b.ts: a unit test in src/ may import test/ (harness, fixtures) but nothing else outside src/',
      'src/sync/g.test.ts imports src/cli/index.ts: nothing in src/ imports cli or bin except bin, unit tests included',
    ]);
  });

  it('passes on the real tree', async () => {
    expect(await findImportViolations(REPO_ROOT)).toEqual([]);
  });
});
