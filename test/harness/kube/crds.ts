import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isConflict, type KubeClient } from '../../../src/kube/index.ts';

interface Crd {
  apiVersion: string;
  kind: 'CustomResourceDefinition';
  metadata: { name: string; resourceVersion?: string };
  status?: { conditions?: Array<{ type: string; status: string }> };
}

const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

/** Reads every CustomResourceDefinition document from the *.yaml/*.yml files in `dirs` (missing dirs are skipped). */
export async function loadCrds(dirs: readonly string[]): Promise<Crd[]> {
  const crds: Crd[] = [];
  for (const dir of dirs) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => /\.ya?ml$/.test(n)).sort()) {
      for (const doc of parseAllDocuments(await readFile(join(dir, name), 'utf8'))) {
        const value: unknown = doc.toJS();
        if (
          typeof value === 'object' &&
          value !== null &&
          'kind' in value &&
          value.kind === 'CustomResourceDefinition'
        )
          crds.push(value as Crd);
      }
    }
  }
  return crds;
}

async function upsert(client: KubeClient, crd: Crd): Promise<void> {
  try {
    await client.request({ method: 'POST', path: CRD_PATH, body: crd });
  } catch (e: unknown) {
    if (!isConflict(e)) throw e;
    const current = await client.get<Crd>(`${CRD_PATH}/${crd.metadata.name}`);
    const body = { ...crd, metadata: { ...crd.metadata, resourceVersion: current.metadata.resourceVersion } };
    await client.request({ method: 'PUT', path: `${CRD_PATH}/${crd.metadata.name}`, body });
  }
}

function isReady(crd: Crd): boolean {
  const conds = crd.status?.conditions ?? [];
  const isTrue = (type: string): boolean => conds.some((c) => c.type === type && c.status === 'True');
  return isTrue('Established') && isTrue('NamesAccepted');
}

/** Result of {@link installCrds}: names that are Established, and per-CRD apiserver errors. */
export interface CrdInstallResult {
  readonly established: string[];
  readonly failed: Record<string, string>;
}

/**
 * Creates (or updates) the CRDs and waits until each is Established and NamesAccepted. A CRD the apiserver
 * rejects is reported in `failed` (with the server's message) instead of hiding every other result.
 */
export async function installCrds(
  client: KubeClient,
  crds: readonly Crd[],
  timeoutMs = 60_000,
): Promise<CrdInstallResult> {
  const failed: Record<string, string> = {};
  const installed: Crd[] = [];
  for (const crd of crds) {
    try {
      await upsert(client, crd);
      installed.push(crd);
      delete failed[crd.metadata.name];
    } catch (e: unknown) {
      failed[crd.metadata.name] = e instanceof Error ? e.message : String(e);
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (const crd of installed) {
    for (;;) {
      const current = await client.get<Crd>(`${CRD_PATH}/${crd.metadata.name}`);
      if (isReady(current)) break;
      if (Date.now() > deadline)
        throw new Error(`crd ${crd.metadata.name} not established after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { established: installed.map((c) => c.metadata.name), failed };
}
