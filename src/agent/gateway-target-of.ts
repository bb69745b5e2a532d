import type { DesiredState } from '../api/index.ts';
import type { GatewayApi, GatewayTarget } from '../gateway-sync/index.ts';
import type { AgentSettings } from './agent-config.ts';
import { secretFile } from './secret-file.ts';
import type { SelectedProfile } from './select-profile.ts';

/** The gateway API the agent drives: the configured URL, else the pod-local port of the desired state. */
export function gatewayApiOf(settings: AgentSettings, gateway: DesiredState['gateway']): GatewayApi {
  const url = settings.gatewayUrl ?? `${gateway.tls ? 'https' : 'http'}://127.0.0.1:${gateway.port}`;
  return {
    url,
    ...(gateway.apiKeySecretRef === undefined
      ? {}
      : { tokenFile: secretFile(settings.secretsDir, gateway.apiKeySecretRef) }),
    ...(gateway.caSecretRef === undefined
      ? {}
      : { caFile: secretFile(settings.secretsDir, gateway.caSecretRef) }),
    insecureSkipVerify: gateway.insecureSkipVerify === true,
  };
}

/** Pure: the agent's gateway as the per-gateway sync sees it. */
export function gatewayTargetOf(
  name: string,
  settings: AgentSettings,
  desired: DesiredState,
  selected: SelectedProfile,
): GatewayTarget {
  return {
    name,
    dataDir: settings.dataDir,
    profile: selected.profile,
    excludePatterns: desired.excludePatterns,
    designerSessionPolicy: selected.designerSessionPolicy,
    api: gatewayApiOf(settings, desired.gateway),
  };
}
