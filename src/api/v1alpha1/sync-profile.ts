import { z } from 'zod';
import { apiObject } from './api-object.ts';
import { Conditions, GlobPattern, ObjectMeta, RelativePath } from './common.ts';
import { Defaults } from './defaults.ts';
import { Kinds } from './group-version.ts';
import { withRules } from './rules.ts';

/** Ignition's built-in resource collections; a deployment mode may not take their names. */
export const RESERVED_COLLECTION_NAMES: readonly string[] = ['core', 'external', 'local', 'system'];
export const DEPLOYMENT_MODE_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$';

export const MappingType = z.enum(['dir', 'file'], 'must be one of dir, file');
export type MappingType = z.output<typeof MappingType>;

/**
 * One mapping: a repository path copied to a data-directory path. Applied in order; a later mapping
 * overlays an earlier one file by file.
 */
export const Mapping = withRules(
  z.strictObject({
    source: RelativePath.describe('Path in the repository (relative; "." = repository root).'),
    destination: RelativePath.describe('Path in the gateway data directory (relative; "." = data dir root).'),
    type: MappingType.default(Defaults.mappingType).describe(
      '"dir" copies a directory tree, "file" one file.',
    ),
    required: z
      .boolean()
      .default(Defaults.mappingRequired)
      .describe('When true a missing source fails the sync; otherwise it is skipped and reported.'),
  }),
  [
    {
      message: 'a file mapping needs a file path, not the root directory or a path ending in "/"',
      fieldPath: ['destination'],
      cel: "!has(self.type) || self.type != 'file' || !(self.destination == '.' || self.destination == './' || self.destination.endsWith('/'))",
      check: (m) => m.type !== 'file' || !(m.destination === '.' || m.destination.endsWith('/')),
    },
  ],
);
export type Mapping = z.output<typeof Mapping>;

export const DeploymentMode = z.strictObject({
  name: withRules(
    z
      .string()
      .max(63, 'must be at most 63 characters')
      .regex(
        new RegExp(DEPLOYMENT_MODE_NAME_PATTERN),
        'must be a collection name: letters, digits, "-" or "_", starting with a letter or digit, at most 63',
      ),
    [
      {
        message: `must not be a built-in collection (${RESERVED_COLLECTION_NAMES.join(', ')})`,
        cel: `!(self.lowerAscii() in [${RESERVED_COLLECTION_NAMES.map((n) => `'${n}'`).join(', ')}])`,
        check: (n) => !RESERVED_COLLECTION_NAMES.includes(n.toLowerCase()),
      },
    ],
  ).describe('Deployment mode (Ignition collection) name; synced to config/resources/<name>/.'),
  source: RelativePath.describe("Repository directory holding the mode's resources."),
});
export type DeploymentMode = z.output<typeof DeploymentMode>;

export const DesignerSessionPolicy = z.enum(
  ['proceed', 'wait', 'fail'],
  'must be one of proceed, wait, fail',
);
export type DesignerSessionPolicy = z.output<typeof DesignerSessionPolicy>;

export const MAX_VARS = 64;
export const VAR_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';

export const SyncProfileSpec = z.strictObject({
  mappings: z
    .array(Mapping)
    .min(1, 'must list at least one mapping')
    .max(256, 'must list at most 256 mappings')
    .describe('Repository-to-data-dir mappings, applied in order.'),
  deploymentMode: DeploymentMode.optional().describe('Deployment mode overlay synced as its own collection.'),
  excludePatterns: z
    .array(GlobPattern)
    .max(256)
    .default([])
    .describe("Glob patterns never synced, added to the IgnitionSync's."),
  dryRun: z.boolean().default(Defaults.dryRun).describe('Plan and report, write nothing.'),
  paused: z
    .boolean()
    .default(Defaults.paused)
    .describe('Gateways using this profile keep their current state.'),
  designerSessionPolicy: DesignerSessionPolicy.default(Defaults.designerSessionPolicy).describe(
    'What a sync does while Designer sessions are open: proceed, wait for them to close, or fail.',
  ),
  vars: withRules(z.record(z.string(), z.string().max(4096)).meta({ maxProperties: MAX_VARS }), [
    {
      message: `must have at most ${MAX_VARS} entries`,
      cel: `self.size() <= ${MAX_VARS}`,
      check: (v) => Object.keys(v).length <= MAX_VARS,
    },
    {
      message: 'variable names must match [A-Za-z_][A-Za-z0-9_]*',
      cel: `self.all(k, k.matches('${VAR_NAME_PATTERN}'))`,
      check: (v) => Object.keys(v).every((k) => new RegExp(VAR_NAME_PATTERN).test(k)),
    },
  ])
    .optional()
    .describe('Variables available to the sync engine (reserved for templated paths).'),
});
export type SyncProfileSpec = z.output<typeof SyncProfileSpec>;

export const SyncProfileStatus = z.strictObject({
  observedGeneration: z.number().int().min(0).optional(),
  gatewayCount: z.number().int().min(0).optional().describe('Gateways currently using this profile.'),
  conditions: Conditions.optional(),
});
export type SyncProfileStatus = z.output<typeof SyncProfileStatus>;

export const SyncProfile = apiObject(Kinds.SyncProfile, {
  metadata: ObjectMeta,
  spec: SyncProfileSpec,
  status: SyncProfileStatus.optional(),
});
export type SyncProfile = z.output<typeof SyncProfile>;
export type SyncProfileInput = z.input<typeof SyncProfile>;
