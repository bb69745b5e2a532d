import { z } from 'zod';
import { AgentSpec } from './agent.ts';
import { apiObject } from './api-object.ts';
import { DnsLabelName, durationAtLeast, GlobPattern, ObjectMeta, SecretKeyRef } from './common.ts';
import { DEFAULT_EXCLUDE_PATTERNS, Defaults } from './defaults.ts';
import { GitSource } from './git-source.ts';
import { Kinds } from './group-version.ts';
import { IgnitionSyncStatus } from './ignition-sync-status.ts';
import { withRules } from './rules.ts';

export const Port = z
  .number()
  .int('must be an integer')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

export const WebhookSpec = withRules(
  z.strictObject({
    enabled: z
      .boolean()
      .default(Defaults.webhookEnabled)
      .describe('Accept webhook deliveries for this IgnitionSync.'),
    port: Port.default(Defaults.webhookPort).describe('Receiver Service port that senders use.'),
    secretRef: SecretKeyRef.optional().describe('HMAC key or bearer token that deliveries must present.'),
  }),
  [
    {
      message: 'is required when webhook.enabled is true (deliveries are authenticated)',
      fieldPath: ['secretRef'],
      // has(): the apiserver also checks the rule against the schema default `{}` before nested defaults.
      cel: '!has(self.enabled) || !self.enabled || has(self.secretRef)',
      check: (w) => !w.enabled || w.secretRef !== undefined,
    },
  ],
);

export const PollingSpec = z.strictObject({
  enabled: z.boolean().default(Defaults.pollingEnabled).describe('Resolve the ref periodically.'),
  interval: durationAtLeast(Defaults.minPollingInterval)
    .default(Defaults.pollingInterval)
    .describe('Time between ref resolutions (at least 5s).'),
});

export const GatewayConnection = withRules(
  z.strictObject({
    port: Port.default(Defaults.gatewayPort).describe("Port of the gateway's web server inside the pod."),
    tls: z.boolean().default(Defaults.gatewayTls).describe('Use HTTPS to reach the gateway API.'),
    apiKeySecretRef: SecretKeyRef.optional().describe(
      "Secret key holding Ignition's full API token (`name:secret`) for the scan API.",
    ),
    caSecretRef: SecretKeyRef.optional().describe(
      "Secret key holding the PEM CA that signed the gateway's certificate.",
    ),
    insecureSkipVerify: z
      .boolean()
      .default(Defaults.gatewayInsecureSkipVerify)
      .describe('Skip TLS certificate verification of the gateway (traffic stays inside the pod).'),
  }),
  [
    {
      message: 'caSecretRef and insecureSkipVerify are mutually exclusive',
      fieldPath: ['caSecretRef'],
      cel: '!(has(self.caSecretRef) && has(self.insecureSkipVerify) && self.insecureSkipVerify)',
      check: (g) => !(g.caSecretRef !== undefined && g.insecureSkipVerify),
    },
  ],
);

export const RateLimitSpec = z.strictObject({
  maxConcurrentSyncs: z
    .number()
    .int()
    .min(1, 'must be at least 1')
    .optional()
    .describe('Gateways of this IgnitionSync syncing at once (default: half the gateways, at least 1).'),
  maxSyncsPerMinute: z
    .number()
    .int()
    .min(1, 'must be at least 1')
    .optional()
    .describe('Sync starts per minute.'),
  burstLimit: z
    .number()
    .int()
    .min(1, 'must be at least 1')
    .optional()
    .describe('Sync starts allowed in a burst.'),
});

export const ApprovalSpec = z.strictObject({
  required: z
    .boolean()
    .default(Defaults.approvalRequired)
    .describe('Hold every newly resolved ref until approved.'),
  timeout: durationAtLeast('1s')
    .default(Defaults.approvalTimeout)
    .describe('A pending approval expires after this long.'),
  teams: z.array(z.string().min(1).max(256)).max(64).optional().describe('Teams allowed to approve.'),
  webhook: z
    .strictObject({
      url: z
        .string()
        .max(2048)
        .regex(/^https?:\/\/[^\s/]+(\/\S*)?$/, 'must be an http:// or https:// URL')
        .describe('Notified when an approval is requested.'),
    })
    .optional()
    .describe('Custom approval system to notify.'),
});

export const IgnitionSyncSpec = z.strictObject({
  git: GitSource.describe('Where the gateway content lives.'),
  webhook: WebhookSpec.prefault({}).describe('Webhook trigger (see the receiver docs).'),
  polling: PollingSpec.prefault({}).describe('Periodic ref resolution.'),
  gateway: GatewayConnection.prefault({}).describe(
    'How the agent reaches the Ignition gateway API in its pod.',
  ),
  excludePatterns: z
    .array(GlobPattern)
    .max(256)
    .default([...DEFAULT_EXCLUDE_PATTERNS])
    .describe('Glob patterns never synced (matched against data-dir-relative destination paths).'),
  bidirectional: z
    .strictObject({
      enabled: z.boolean().default(Defaults.bidirectionalEnabled).describe('Reserved: gateway-to-git sync.'),
    })
    .prefault({})
    .describe('Gateway-to-git sync (reserved; only false is implemented).'),
  agent: AgentSpec.optional().describe('The sync agent sidecar.'),
  rateLimit: RateLimitSpec.optional().describe('Bounds on gateways syncing at once.'),
  approval: ApprovalSpec.optional().describe('Change-control gate before a new ref is synced.'),
  paused: z
    .boolean()
    .default(Defaults.paused)
    .describe('Stop releasing new commits (gateways keep their state).'),
});
export type IgnitionSyncSpec = z.output<typeof IgnitionSyncSpec>;

export const IgnitionSync = apiObject(Kinds.IgnitionSync, {
  metadata: ObjectMeta.extend({ name: DnsLabelName }),
  spec: IgnitionSyncSpec,
  status: IgnitionSyncStatus.optional(),
});
export type IgnitionSync = z.output<typeof IgnitionSync>;
export type IgnitionSyncInput = z.input<typeof IgnitionSync>;
