import type { GatewayTarget } from '../gateway-sync/index.ts';
import type { SyncProfileInput } from '../sync/index.ts';
import type { SecretsDir } from './secrets-dir.ts';
import type { GatewayRouting, StandaloneGateway } from './standalone-config.ts';

function profileOf(routing: GatewayRouting): SyncProfileInput {
  if (routing.kind === 'servicePath') return { servicePath: routing.servicePath };
  return {
    mappings: routing.mappings,
    ...(routing.deploymentMode === undefined ? {} : { deploymentMode: routing.deploymentMode }),
    excludePatterns: routing.excludePatterns,
  };
}

/** A standalone `Gateway` document as the per-gateway sync sees it. */
export function gatewayTargetOf(
  gateway: StandaloneGateway,
  excludePatterns: readonly string[],
  secrets: SecretsDir,
): GatewayTarget {
  return {
    name: gateway.name,
    dataDir: gateway.dataDir,
    profile: profileOf(gateway.routing),
    excludePatterns,
    designerSessionPolicy: gateway.designerSessionPolicy,
    ...(gateway.url === undefined
      ? {}
      : {
          api: {
            url: gateway.url,
            ...(gateway.apiKeySecretRef === undefined
              ? {}
              : { tokenFile: secrets.pathOf(gateway.apiKeySecretRef) }),
            ...(gateway.caFile === undefined ? {} : { caFile: gateway.caFile }),
            insecureSkipVerify: gateway.insecureSkipVerify,
          },
        }),
  };
}
