import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { KubeClient } from '../../../src/kube/index.ts';
import { ensureControlPlaneBinaries } from './build.ts';
import { type ControlPlane, startControlPlane } from './control-plane.ts';
import { installCrds, loadCrds } from './crds.ts';
import './provided-context.ts';

/** CRDs installed before the integration tests: the generated product CRDs plus the harness's own test CRD. */
export const CRD_DIRS = [
  fileURLToPath(new URL('../../../deploy/crds', import.meta.url)),
  fileURLToPath(new URL('../../fixtures/kube/crds', import.meta.url)),
];

let controlPlane: ControlPlane | undefined;

/**
 * Vitest globalSetup of the `integration` project: builds the control plane if needed (testenv/build.sh,
 * no-op when cached), starts ONE etcd + kube-apiserver for the run, installs the CRDs, and provides the
 * connection to the test files (`inject('kube')`).
 */
export async function setup(project: TestProject): Promise<void> {
  const binDir = await ensureControlPlaneBinaries();
  const started = Date.now();
  controlPlane = await startControlPlane({ binDir });
  const client = new KubeClient(controlPlane.kubeConfig);
  const crds = await installCrds(client, await loadCrds(CRD_DIRS));
  process.stderr.write(
    `integration: ${controlPlane.connection.version} ready at ${controlPlane.connection.server} in ${Date.now() - started} ms; crds: ${crds.established.join(', ')}\n`,
  );
  for (const [name, message] of Object.entries(crds.failed))
    process.stderr.write(`integration: crd ${name} rejected: ${message}\n`);
  project.provide('kube', controlPlane.connection);
  project.provide('kubeCrdErrors', crds.failed);
  project.provide('kubeBinDir', binDir);
}

export async function teardown(): Promise<void> {
  await controlPlane?.stop();
  controlPlane = undefined;
}
