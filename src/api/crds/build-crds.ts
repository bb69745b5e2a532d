import { stringify } from 'yaml';
import type { z } from 'zod';
import {
  API_GROUP,
  API_VERSION_NAME,
  DNS_LABEL_PATTERN,
  IgnitionSyncSpec,
  IgnitionSyncStatus,
  Kinds,
  Resources,
  SyncProfileSpec,
  SyncProfileStatus,
} from '../v1alpha1/index.ts';
import { type SchemaNode, toStructuralSchema } from './to-structural-schema.ts';

/** The subset of apiextensions.k8s.io/v1 CustomResourceDefinition we generate. */
export interface CustomResourceDefinition {
  readonly apiVersion: 'apiextensions.k8s.io/v1';
  readonly kind: 'CustomResourceDefinition';
  readonly metadata: { readonly name: string; readonly labels: Readonly<Record<string, string>> };
  readonly spec: {
    readonly group: string;
    readonly names: {
      readonly kind: string;
      readonly listKind: string;
      readonly plural: string;
      readonly singular: string;
      readonly shortNames: readonly string[];
      readonly categories: readonly string[];
    };
    readonly scope: 'Namespaced';
    readonly versions: readonly CrdVersion[];
  };
}

export interface PrinterColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'date' | 'boolean' | 'number';
  readonly jsonPath: string;
  readonly description?: string;
  readonly priority?: number;
}

interface CrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly storage: boolean;
  readonly subresources: { readonly status: Record<string, never> };
  readonly additionalPrinterColumns: readonly PrinterColumn[];
  readonly schema: { readonly openAPIV3Schema: SchemaNode };
}

interface KindDefinition {
  readonly kind: string;
  readonly plural: string;
  readonly shortName: string;
  readonly description: string;
  readonly spec: z.ZodType;
  readonly status: z.ZodType;
  readonly columns: readonly PrinterColumn[];
  readonly rootRules?: readonly { rule: string; message: string }[];
}

export const CRD_CATEGORIES: readonly string[] = ['ignition', 'ignition-sync'];

const readyColumn = (type: string): PrinterColumn => ({
  name: type,
  type: 'string',
  jsonPath: `.status.conditions[?(@.type=="${type}")].status`,
});
const ageColumn: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

const KINDS: readonly KindDefinition[] = [
  {
    kind: Kinds.IgnitionSync,
    plural: Resources.ignitionSyncs,
    shortName: 'igs',
    description:
      'IgnitionSync keeps the data directories of Ignition gateways equal to one resolved git commit: repository, ref, credentials and triggers. File routing lives in SyncProfile.',
    spec: IgnitionSyncSpec,
    status: IgnitionSyncStatus,
    columns: [
      { name: 'Ref', type: 'string', jsonPath: '.status.resolvedRef', description: 'Ref resolved last.' },
      {
        name: 'Commit',
        type: 'string',
        jsonPath: '.status.resolvedCommit',
        description: 'Commit of that ref.',
      },
      { name: 'Gateways', type: 'string', jsonPath: '.status.gatewaySummary', description: 'Synced/total.' },
      readyColumn('Ready'),
      {
        name: 'Status',
        type: 'string',
        jsonPath: '.status.conditions[?(@.type=="Ready")].message',
        priority: 1,
      },
      ageColumn,
    ],
    // The name is used as a label value on owned objects: an RFC 1123 label, like the zod schema says.
    rootRules: [
      {
        rule: `self.metadata.name.size() <= 63 && self.metadata.name.matches('${DNS_LABEL_PATTERN}')`,
        message: 'metadata.name must be a lowercase RFC 1123 label (a-z, 0-9, "-"; at most 63 characters)',
      },
    ],
  },
  {
    kind: Kinds.SyncProfile,
    plural: Resources.syncProfiles,
    shortName: 'sp',
    description:
      'SyncProfile says which repository paths go where in a gateway data directory; many gateways can share one.',
    spec: SyncProfileSpec,
    status: SyncProfileStatus,
    columns: [
      {
        name: 'Mode',
        type: 'string',
        jsonPath: '.spec.deploymentMode.name',
        description: 'Deployment mode.',
      },
      {
        name: 'Gateways',
        type: 'integer',
        jsonPath: '.status.gatewayCount',
        description: 'Gateways using it.',
      },
      readyColumn('Accepted'),
      ageColumn,
    ],
  },
];

function rootSchema(def: KindDefinition): SchemaNode {
  return {
    type: 'object',
    description: def.description,
    properties: {
      apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this object.' },
      kind: { type: 'string', description: 'Kind is a string value representing the REST resource.' },
      metadata: { type: 'object' },
      spec: toStructuralSchema(def.spec),
      status: toStructuralSchema(def.status),
    },
    required: ['spec'],
    ...(def.rootRules === undefined ? {} : { 'x-kubernetes-validations': def.rootRules }),
  };
}

function buildCrd(def: KindDefinition): CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${def.plural}.${API_GROUP}`,
      labels: { 'app.kubernetes.io/part-of': 'ignition-sync' },
    },
    spec: {
      group: API_GROUP,
      names: {
        kind: def.kind,
        listKind: `${def.kind}List`,
        plural: def.plural,
        singular: def.kind.toLowerCase(),
        shortNames: [def.shortName],
        categories: CRD_CATEGORIES,
      },
      scope: 'Namespaced',
      versions: [
        {
          name: API_VERSION_NAME,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: def.columns,
          schema: { openAPIV3Schema: rootSchema(def) },
        },
      ],
    },
  };
}

/** Every CRD of the API, generated from the zod schemas (the single source of truth). */
export function buildCrds(): CustomResourceDefinition[] {
  return KINDS.map(buildCrd);
}

/** File name under deploy/crds/ (controller-gen convention: `<group>_<plural>.yaml`). */
export function crdFileName(crd: CustomResourceDefinition): string {
  return `${crd.spec.group}_${crd.spec.names.plural}.yaml`;
}

/** The YAML text checked in for `crd` (deterministic: same schemas, same bytes). */
export function renderCrd(crd: CustomResourceDefinition): string {
  const header = '# Generated by `npm run gen` from src/api/v1alpha1 (zod). Do not edit.\n';
  return `${header}${stringify(crd, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
