import type { StatusPing } from '../gateway-types.ts';
import { formatGwInfo } from '../gwinfo.ts';

/** `running`; `starting` (restart window: /data 503); `commissioning` (first boot: /data 302 → /welcome). */
export type Lifecycle = 'running' | 'starting' | 'commissioning';

export interface GatewayIdentity {
  readonly name: string;
  readonly ignitionVersion: string;
  readonly deploymentMode: string;
}

/** Pure: the unauthenticated `/StatusPing` body for a lifecycle state. */
export function formatStatusPing(lifecycle: Lifecycle): StatusPing {
  if (lifecycle === 'starting') return { state: 'STARTING' };
  if (lifecycle === 'commissioning') return { state: 'RUNNING', details: 'COMMISSIONING' };
  return { state: 'RUNNING' };
}

/** Pure: the `/system/gwinfo` text body (ContextStatus first, as the helm chart's probes parse it). */
export function formatGatewayGwInfo(identity: GatewayIdentity, lifecycle: Lifecycle): string {
  const status =
    lifecycle === 'running' ? 'RUNNING' : lifecycle === 'starting' ? 'STARTING' : 'NEEDS_COMMISSIONING';
  return formatGwInfo([
    ['ContextStatus', status],
    ['PlatformName', identity.name],
    ['Version', identity.ignitionVersion.split(' ')[0] ?? identity.ignitionVersion],
    ['PlatformEdition', 'standard'],
    ['RedundancyStatus', 'Independent'],
    ['RedundantState', 'Good'],
    ['RedundantNodeActiveStatus', 'Active'],
  ]);
}

/** Pure: the `GET /data/api/v1/gateway-info` body (field names per the 8.3 OpenAPI schema). */
export function formatGatewayInfo(identity: GatewayIdentity, port: number): Record<string, unknown> {
  return {
    name: identity.name,
    redundancyRole: 'Independent',
    redundantPeerAddress: '',
    edition: 'standard',
    hostname: 'localhost',
    port: String(port),
    ignitionVersion: identity.ignitionVersion,
    deploymentMode: identity.deploymentMode,
    timeZone: 'Coordinated Universal Time',
    timeZoneId: 'UTC',
    jvmVersion: '17.0.13+11',
    allowUnsignedModules: false,
    license: { mode: 'trial', validForVersion: '8.3', expirationDate: null, licenseRestrictions: [] },
  };
}
