/**
 * Default values of the API, in one place: the zod schemas and the generated CRDs (apiserver defaulting)
 * both take them from here. Why each value was chosen is in src/api/README.md ("Defaults").
 */

/** IgnitionSync `spec.excludePatterns` when omitted. The sync engine adds its own protections on top. */
export const DEFAULT_EXCLUDE_PATTERNS: readonly string[] = ['**/.git/', '**/.gitkeep'];

export const Defaults = {
  pollingEnabled: true,
  pollingInterval: '60s',
  /** Lower bound for polling so that a typo cannot hammer a git server. */
  minPollingInterval: '5s',
  webhookEnabled: false,
  webhookPort: 8443,
  /** Ignition's HTTPS port with TLS: API tokens may require a secure channel (403 over plain HTTP). */
  gatewayPort: 8043,
  gatewayTls: true,
  gatewayInsecureSkipVerify: false,
  bidirectionalEnabled: false,
  paused: false,
  imagePullPolicy: 'IfNotPresent',
  approvalRequired: false,
  approvalTimeout: '24h',
  mappingType: 'dir',
  mappingRequired: false,
  dryRun: false,
  designerSessionPolicy: 'proceed',
} as const;
