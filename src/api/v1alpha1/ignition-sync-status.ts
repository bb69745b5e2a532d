import { z } from 'zod';
import { Conditions, DnsLabelName } from './common.ts';
import { MAX_GIT_REF_LENGTH } from './git-ref.ts';

export const GatewaySyncStatuses = {
  Pending: 'Pending',
  Syncing: 'Syncing',
  Synced: 'Synced',
  Failed: 'Failed',
  Held: 'Held',
} as const;
export type GatewaySyncStatus = (typeof GatewaySyncStatuses)[keyof typeof GatewaySyncStatuses];

const ShortText = z.string().max(1024);
const Timestamp = z.iso.datetime({ offset: true });
const Count = z.number().int().min(0);

export const DiscoveredGateway = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(253)
    .describe('Gateway identity (annotation gateway-name, app label or pod name).'),
  namespace: DnsLabelName.optional(),
  podName: z.string().max(253).optional(),
  profile: z.string().max(253).optional().describe('SyncProfile in use.'),
  servicePath: z.string().max(1024).optional().describe('2-tier mode service path in use.'),
  commit: z.string().max(64).optional().describe('Commit the gateway data dir is at.'),
  syncStatus: z.enum(Object.values(GatewaySyncStatuses) as [GatewaySyncStatus, ...GatewaySyncStatus[]]),
  lastSyncTime: Timestamp.optional(),
  lastSyncDuration: z.string().max(64).optional().describe('Duration of the last sync, e.g. "1.2s".'),
  filesChanged: Count.optional(),
  filesAdded: Count.optional(),
  filesModified: Count.optional(),
  filesDeleted: Count.optional(),
  scan: z
    .strictObject({ config: ShortText.optional(), projects: ShortText.optional() })
    .optional()
    .describe('Outcome of the last config and projects scans.'),
  driftCount: Count.optional().describe("Files found changed behind git's back by the last verification."),
  driftPaths: z.array(ShortText).max(20).optional().describe('Up to 20 drifted paths.'),
  reason: ShortText.optional(),
  error: z.string().max(4096).optional().describe('Last error message (cleared on success).'),
});
export type DiscoveredGateway = z.output<typeof DiscoveredGateway>;

export const IgnitionSyncStatus = z.strictObject({
  observedGeneration: z.number().int().min(0).optional(),
  resolvedRef: z.string().max(MAX_GIT_REF_LENGTH).optional().describe('Ref the controller resolved last.'),
  resolvedCommit: z.string().max(64).optional().describe('Commit that ref resolved to.'),
  lastSyncTime: Timestamp.optional(),
  gatewayCount: Count.optional(),
  syncedGatewayCount: Count.optional(),
  gatewaySummary: z.string().max(32).optional().describe('"synced/total", shown in the Gateways column.'),
  pendingApproval: z
    .strictObject({
      ref: z.string().max(MAX_GIT_REF_LENGTH),
      commit: z.string().max(64).optional(),
      requestedAt: Timestamp.optional(),
      expiresAt: Timestamp.optional(),
    })
    .optional(),
  discoveredGateways: z.array(DiscoveredGateway).max(1000).optional(),
  conditions: Conditions.optional(),
});
export type IgnitionSyncStatus = z.output<typeof IgnitionSyncStatus>;
