import { z } from 'zod';
import { apiObject } from './api-object.ts';
import { DnsLabelName, MAX_PATH_LENGTH, ObjectMeta, RelativePath, SecretKeyRef } from './common.ts';
import { Kinds } from './group-version.ts';
import { withRules } from './rules.ts';
import { DesignerSessionPolicy } from './sync-profile.ts';

/**
 * Standalone-only kind (`ignition-sync run`): stands in for an annotated gateway pod. Not a CRD.
 * Exactly one of `profile` (a SyncProfile) or `servicePath` (2-tier mode) says which files go where.
 */
export const GatewaySpec = withRules(
  z.strictObject({
    syncRef: DnsLabelName.describe('Name of the IgnitionSync to follow (like the cr-name annotation).'),
    profile: z
      .string()
      .min(1)
      .max(253)
      .optional()
      .describe('SyncProfile name (like the sync-profile annotation).'),
    servicePath: RelativePath.optional().describe(
      '2-tier mode: repository directory mirroring the data dir.',
    ),
    dataDir: z
      .string()
      .min(1, 'must not be empty')
      .max(MAX_PATH_LENGTH)
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we reject
      .regex(/^[^\x00-\x1f]*$/, 'must not contain control characters')
      .describe("Gateway data directory; relative paths resolve against the config file's folder."),
    url: z
      .string()
      .max(2048)
      .regex(/^https?:\/\/[^\s/@]+(\/\S*)?$/, 'must be an http:// or https:// URL without credentials')
      .optional()
      .describe('Gateway web server URL for the scan API; without it files are synced but not scanned.'),
    apiKeySecretRef: SecretKeyRef.optional().describe(
      "Overrides the IgnitionSync's gateway.apiKeySecretRef for this gateway (from the secrets dir).",
    ),
    caFile: z
      .string()
      .min(1)
      .max(MAX_PATH_LENGTH)
      .optional()
      .describe("PEM CA file for the gateway's certificate."),
    insecureSkipVerify: z
      .boolean()
      .optional()
      .describe('Skip TLS verification of the gateway (test gateways only).'),
    designerSessionPolicy: DesignerSessionPolicy.optional().describe("Overrides the profile's policy."),
  }),
  [
    {
      message: 'set exactly one of profile or servicePath',
      cel: 'has(self.profile) != has(self.servicePath)',
      check: (g) => (g.profile === undefined) !== (g.servicePath === undefined),
    },
    {
      message: 'caFile and insecureSkipVerify are mutually exclusive',
      fieldPath: ['caFile'],
      cel: '!(has(self.caFile) && has(self.insecureSkipVerify) && self.insecureSkipVerify)',
      check: (g) => !(g.caFile !== undefined && g.insecureSkipVerify === true),
    },
  ],
);
export type GatewaySpec = z.output<typeof GatewaySpec>;

export const Gateway = apiObject(Kinds.Gateway, {
  metadata: ObjectMeta,
  spec: GatewaySpec,
});
export type Gateway = z.output<typeof Gateway>;
export type GatewayInput = z.input<typeof Gateway>;
