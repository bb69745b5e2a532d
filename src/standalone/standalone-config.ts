import { isAbsolute, resolve } from 'node:path';
import type {
  DesignerSessionPolicy,
  Gateway,
  IgnitionSync,
  IgnitionSyncSpec,
  ParsedDocument,
  SecretKeyRef,
  SyncProfile,
  ValidationIssue,
} from '../api/index.ts';

/** Which files go where for one gateway: a SyncProfile's routing or a 2-tier service path. */
export type GatewayRouting =
  | {
      readonly kind: 'profile';
      readonly profileName: string;
      readonly mappings: SyncProfile['spec']['mappings'];
      readonly deploymentMode: SyncProfile['spec']['deploymentMode'];
      readonly excludePatterns: readonly string[];
    }
  | { readonly kind: 'servicePath'; readonly servicePath: string };

export interface StandaloneGateway {
  readonly name: string;
  readonly namespace: string;
  /** `namespace/name` of the IgnitionSync it follows. */
  readonly syncKey: string;
  readonly routing: GatewayRouting;
  /** Absolute (relative paths resolved against the config file's folder). */
  readonly dataDir: string;
  readonly url: string | undefined;
  readonly apiKeySecretRef: SecretKeyRef | undefined;
  readonly caFile: string | undefined;
  readonly insecureSkipVerify: boolean;
  readonly designerSessionPolicy: DesignerSessionPolicy;
  readonly dryRun: boolean;
  readonly paused: boolean;
}

export interface StandaloneSync {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly spec: IgnitionSyncSpec;
  readonly gateways: readonly StandaloneGateway[];
}

export interface StandaloneConfig {
  readonly syncs: readonly StandaloneSync[];
}

/** Namespace of a document without one (like kubectl's default namespace). */
export const DEFAULT_NAMESPACE = 'default';

export function syncKeyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

type Of<K extends ParsedDocument['kind']> = Extract<ParsedDocument, { kind: K }>;

function byKey<K extends ParsedDocument['kind']>(
  documents: readonly ParsedDocument[],
  kind: K,
): Map<string, Of<K>> {
  const map = new Map<string, Of<K>>();
  for (const d of documents) {
    if (d.kind === kind) map.set(syncKeyOf(d.namespace ?? DEFAULT_NAMESPACE, d.name), d as Of<K>);
  }
  return map;
}

function routingOf(gateway: Gateway, profile: SyncProfile | undefined): GatewayRouting {
  if (gateway.spec.servicePath !== undefined)
    return { kind: 'servicePath', servicePath: gateway.spec.servicePath };
  return {
    kind: 'profile',
    profileName: gateway.spec.profile ?? '',
    mappings: profile?.spec.mappings ?? [],
    deploymentMode: profile?.spec.deploymentMode,
    excludePatterns: profile?.spec.excludePatterns ?? [],
  };
}

function toGateway(
  doc: Of<'Gateway'>,
  sync: IgnitionSync,
  profile: SyncProfile | undefined,
  baseDir: string,
): StandaloneGateway {
  const namespace = doc.namespace ?? DEFAULT_NAMESPACE;
  const spec = doc.object.spec;
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(baseDir, p));
  return {
    name: doc.name,
    namespace,
    syncKey: syncKeyOf(namespace, spec.syncRef),
    routing: routingOf(doc.object, profile),
    dataDir: abs(spec.dataDir),
    url: spec.url,
    apiKeySecretRef: spec.apiKeySecretRef ?? sync.spec.gateway.apiKeySecretRef,
    caFile: spec.caFile === undefined ? undefined : abs(spec.caFile),
    insecureSkipVerify: spec.insecureSkipVerify ?? false,
    designerSessionPolicy: spec.designerSessionPolicy ?? profile?.spec.designerSessionPolicy ?? 'proceed',
    dryRun: profile?.spec.dryRun ?? false,
    paused: profile?.spec.paused ?? false,
  };
}

/**
 * Joins parsed IgnitionSync, SyncProfile and Gateway documents into what `run` drives: each IgnitionSync
 * with its gateways. Pure. Every broken reference is reported (all at once, like config validation at
 * start), with the Gateway's file and document. `baseDirOf(source)` is the folder of a document's file:
 * relative `dataDir` and `caFile` resolve against it.
 */
export function resolveStandaloneConfig(
  documents: readonly ParsedDocument[],
  baseDirOf: (source: string) => string,
): { readonly config: StandaloneConfig; readonly issues: ValidationIssue[] } {
  const syncs = byKey(documents, 'IgnitionSync');
  const profiles = byKey(documents, 'SyncProfile');
  const issues: ValidationIssue[] = [];
  const gatewaysBySync = new Map<string, StandaloneGateway[]>();
  const dataDirs = new Map<string, string>();
  for (const doc of documents) {
    if (doc.kind !== 'Gateway') continue;
    const namespace = doc.namespace ?? DEFAULT_NAMESPACE;
    const at = { source: doc.source, documentIndex: doc.documentIndex, kind: doc.kind, name: doc.name };
    const spec = doc.object.spec;
    const sync = syncs.get(syncKeyOf(namespace, spec.syncRef));
    const profile = spec.profile === undefined ? undefined : profiles.get(syncKeyOf(namespace, spec.profile));
    if (sync === undefined) {
      issues.push({
        ...at,
        path: 'spec.syncRef',
        message: `IgnitionSync "${spec.syncRef}" not found in namespace ${namespace}`,
      });
    }
    if (spec.profile !== undefined && profile === undefined) {
      issues.push({
        ...at,
        path: 'spec.profile',
        message: `SyncProfile "${spec.profile}" not found in namespace ${namespace}`,
      });
    }
    if (sync === undefined || (spec.profile !== undefined && profile === undefined)) continue;
    const gateway = toGateway(doc, sync.object, profile?.object, baseDirOf(doc.source));
    const other = dataDirs.get(gateway.dataDir);
    if (other !== undefined) {
      issues.push({
        ...at,
        path: 'spec.dataDir',
        message: `data directory is also used by Gateway "${other}"`,
      });
      continue;
    }
    dataDirs.set(gateway.dataDir, doc.name);
    const list = gatewaysBySync.get(gateway.syncKey) ?? [];
    list.push(gateway);
    gatewaysBySync.set(gateway.syncKey, list);
  }
  const resolved: StandaloneSync[] = [...syncs.entries()].map(([key, doc]) => ({
    key,
    namespace: doc.namespace ?? DEFAULT_NAMESPACE,
    name: doc.name,
    spec: doc.object.spec,
    gateways: gatewaysBySync.get(key) ?? [],
  }));
  return { config: { syncs: resolved }, issues };
}
