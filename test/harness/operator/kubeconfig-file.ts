import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ControlPlaneConnection, kubeConfigFor } from '../kube/index.ts';

/** Writes a kubeconfig for the test apiserver (admin token, test CA) that a child process can load. */
export async function writeKubeconfigFile(conn: ControlPlaneConnection, dir: string): Promise<string> {
  const path = join(dir, 'kubeconfig.json');
  await writeFile(path, kubeConfigFor(conn).exportConfig(), { mode: 0o600 });
  return path;
}
