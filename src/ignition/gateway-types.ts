import { z } from 'zod';

/** The two scan/scan-lock targets of the gateway API. Config is always scanned before projects. */
export const SCAN_KINDS = ['config', 'projects'] as const;
export type ScanKind = (typeof SCAN_KINDS)[number];

/** `GET /StatusPing`: `{"state":"RUNNING"}`, `{"state":"STARTING"}`, `{"state":"RUNNING","details":"COMMISSIONING"}`. */
export const StatusPingSchema = z.object({
  state: z.string(),
  details: z.string().optional(),
});
export type StatusPing = z.infer<typeof StatusPingSchema>;

/** `GET|POST /data/api/v1/scan/{kind}`. Timestamps are epoch ms, the duration is ms. */
export const ScanStatusSchema = z.object({
  scanActive: z.boolean(),
  lastScanTimestamp: z.number(),
  lastScanDuration: z.number(),
});
export type ScanStatus = z.infer<typeof ScanStatusSchema>;

/** `POST|GET /data/api/v1/scan-lock/{kind}` (200). `remaining` is in ms. */
export const ScanLockSchema = z.object({
  timestamp: z.number(),
  remaining: z.number(),
  actor: z.string(),
});
export type ScanLock = z.infer<typeof ScanLockSchema>;

export const GatewayInfoSchema = z.looseObject({
  name: z.string(),
  ignitionVersion: z.string(),
  deploymentMode: z.string(),
  edition: z.string().optional(),
  redundancyRole: z.string().optional(),
});
export type GatewayInfo = z.infer<typeof GatewayInfoSchema>;

export const DesignerSessionSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  user: z.string(),
  project: z.string(),
  address: z.string().optional(),
  timezone: z.string().optional(),
  uptime: z.number().optional(),
});
export type DesignerSession = z.infer<typeof DesignerSessionSchema>;

/** The shared list envelope of gateway list endpoints. */
export function listEnvelope<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    metadata: z.looseObject({ total: z.number() }).optional(),
  });
}
