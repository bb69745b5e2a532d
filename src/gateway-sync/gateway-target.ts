import type { DesignerSessionPolicy, GatewayConnectionOptions } from '../ignition/index.ts';
import type { SyncProfileInput } from '../sync/index.ts';

/** The gateway API a sync drives (scan locks, scans, designer sessions, readiness). */
export interface GatewayApi extends Omit<GatewayConnectionOptions, 'logger'> {
  /** Base URL, e.g. `https://gateway.site.local:8043`. */
  readonly url: string;
}

/**
 * One gateway as the per-gateway sync sees it, whoever describes it: a standalone `Gateway` document, or an
 * annotated pod with its SyncProfile (the agent).
 */
export interface GatewayTarget {
  /** For logs and reports. */
  readonly name: string;
  /** The gateway's data directory (the engine writes only its managed roots). */
  readonly dataDir: string;
  /** Mappings (or 2-tier `servicePath`), deployment mode and the profile's excludes. */
  readonly profile: SyncProfileInput;
  /** The IgnitionSync's `excludePatterns`. */
  readonly excludePatterns: readonly string[];
  readonly designerSessionPolicy: DesignerSessionPolicy;
  /** Without it only files are written: no readiness wait, no locks, no scans. */
  readonly api?: GatewayApi | undefined;
}
