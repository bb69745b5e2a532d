// Writes the generated CRDs to deploy/crds/ (`npm run gen`), or with --check fails when the checked-in
// files differ from what the schemas generate (`npm run gen:check`, part of `npm run check`).
import { join } from 'node:path';
import { buildCrds, crdFileName, renderCrd } from '../src/api/crds/index.ts';
import { syncGeneratedFiles } from './generated-files.ts';

await syncGeneratedFiles(
  join(import.meta.dirname, '..', 'deploy', 'crds'),
  new Map(buildCrds().map((crd) => [crdFileName(crd), renderCrd(crd)])),
);
