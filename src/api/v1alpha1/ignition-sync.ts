import { z } from 'zod';
import {
  Conditions,
  DnsLabelName,
  durationAtLeast,
  GlobPattern,
  ObjectMeta,
  SecretKeyRef,
  SecretRefHolder,
} from './common.ts';
import { DEFAULT_EXCLUDE_PATTERNS, Defaults } from './defaults.ts';
import { isValidGitRef, MAX_GIT_REF_LENGTH } from './git-ref.ts';
import { API_VERSION, Kinds } from './group-version.ts';
import { withRules } from './rules.ts';

// Accepted repository URL forms: scp-like SSH (git@host:path), ssh://, https://, http:// (internal servers,
// tests) and file:// (air-gapped mirrors). A leading "-" can never pass, so a URL is never read as an option.
export const GIT_REPO_PATTERN =
  '^(ssh://[^\\s/]+/\\S+|https?://[^\\s/]+/\\S+|file:///\\S+|[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+:[^\\s/-]\\S*)$';
const GIT_REPO_MESSAGE =
  'must be a git URL: git@host:path, ssh://host/path, https://host/path, http://host/path or file:///path';
const CREDENTIALS_IN_URL = /^https?:\/\/[^/@]*@/;

const isSshRepo = (repo: string): boolean => !/^(https?|file):\/\//.test(repo);
const isHttpRepo = (repo: string): boolean => /^https?:\/\//.test(repo);

// The same rules as isValidGitRef, in CEL (raw strings keep the RE2 escapes readable).
const GIT_REF_CEL = [
  "!self.startsWith('-') && self != '@'",
  "!self.contains('..') && !self.contains('@{') && !self.contains('//')",
  "!self.startsWith('/') && !self.endsWith('/') && !self.endsWith('.')",
  String.raw`!self.matches(r'[\x00-\x20\x7f~^:?*\[\\]')`,
  String.raw`!self.matches(r'(^|/)\.') && !self.matches(r'\.lock(/|$)')`,
].join(' && ');

export const GitRef = withRules(z.string().min(1, 'must not be empty').max(MAX_GIT_REF_LENGTH), [
  {
    message: 'must be a valid git branch, tag or commit (git check-ref-format rules)',
    cel: GIT_REF_CEL,
    check: isValidGitRef,
  },
]);

export const GitAuth = withRules(
  z.strictObject({
    sshKey: z
      .strictObject({
        secretRef: SecretKeyRef.describe('Secret key holding the SSH private key (PEM/OpenSSH).'),
        knownHostsSecretRef: SecretKeyRef.optional().describe(
          'Secret key holding known_hosts lines for the git server. Without it host keys are not verified and the IgnitionSync reports HostKeyVerificationDisabled.',
        ),
      })
      .optional(),
    token: z
      .strictObject({
        secretRef: SecretKeyRef.describe('Secret key holding the HTTPS token.'),
        username: z
          .string()
          .min(1)
          .max(256)
          .optional()
          .describe('HTTP user name sent with the token (default "git").'),
      })
      .optional(),
    gpgKey: SecretRefHolder.optional().describe(
      'Trusted OpenPGP public keys (armored). When set, only commits signed by one of them are synced.',
    ),
  }),
  [
    {
      message: 'sshKey and token are mutually exclusive: set exactly one of them',
      cel: '!(has(self.sshKey) && has(self.token))',
      check: (a) => !(a.sshKey !== undefined && a.token !== undefined),
    },
  ],
);

export const GitSource = withRules(
  z.strictObject({
    repo: z
      .string()
      .min(1, 'must not be empty')
      .max(2048)
      .regex(new RegExp(GIT_REPO_PATTERN), GIT_REPO_MESSAGE)
      .refine((r) => !CREDENTIALS_IN_URL.test(r), 'must not contain credentials; use spec.git.auth.token')
      .meta({
        'x-kubernetes-validations': [
          {
            rule: "!self.matches('^https?://[^/@]*@')",
            message: 'must not contain credentials; use spec.git.auth.token',
          },
        ],
      })
      .describe('Repository URL: git@host:path, ssh://, https://, http:// or file://.'),
    ref: GitRef.describe('Branch, tag or full commit SHA to sync.'),
    auth: GitAuth.optional().describe(
      'Credentials for the repository; omit for public or file:// repositories.',
    ),
  }),
  [
    {
      message: 'token auth needs an https:// or http:// repo URL',
      fieldPath: ['auth', 'token'],
      cel: "!has(self.auth) || !has(self.auth.token) || self.repo.startsWith('https://') || self.repo.startsWith('http://')",
      check: (g) => g.auth?.token === undefined || isHttpRepo(g.repo),
    },
    {
      message: 'sshKey auth needs an SSH repo URL (git@host:path or ssh://)',
      fieldPath: ['auth', 'sshKey'],
      cel: "!has(self.auth) || !has(self.auth.sshKey) || !(self.repo.startsWith('https://') || self.repo.startsWith('http://') || self.repo.startsWith('file://'))",
      check: (g) => g.auth?.sshKey === undefined || isSshRepo(g.repo),
    },
  ],
);

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
      cel: '!self.enabled || has(self.secretRef)',
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
      cel: '!(has(self.caSecretRef) && self.insecureSkipVerify)',
      check: (g) => !(g.caSecretRef !== undefined && g.insecureSkipVerify),
    },
  ],
);

export const IMAGE_DIGEST_PATTERN = '^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$';
export const IMAGE_REPOSITORY_PATTERN =
  '^([a-zA-Z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$';
const QUANTITY_PATTERN =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

export const ImageSpec = z.strictObject({
  repository: z
    .string()
    .max(512)
    .regex(
      new RegExp(IMAGE_REPOSITORY_PATTERN),
      'must be an image repository like registry.local:5000/ignition-sync-agent',
    )
    .describe('Image repository of the sync agent.'),
  tag: z
    .string()
    .regex(
      /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/,
      'must be an image tag (letters, digits, "_", ".", "-"; at most 128)',
    )
    .optional()
    .describe('Image tag.'),
  digest: z
    .string()
    .regex(
      new RegExp(IMAGE_DIGEST_PATTERN),
      'must be an image digest "sha256:" followed by 64 lowercase hex digits',
    )
    .optional()
    .describe('Image digest; pins the image (required practice in air-gapped sites). Wins over tag.'),
  pullPolicy: z
    .enum(['Always', 'IfNotPresent', 'Never'], 'must be one of Always, IfNotPresent, Never')
    .default(Defaults.imagePullPolicy)
    .describe('Image pull policy of the agent container.'),
});

/** A resource quantity (`500m`, `128Mi`, `1`), as corev1.ResourceRequirements takes it. */
export const Quantity = z
  .union([
    z.number(),
    z.string().regex(new RegExp(QUANTITY_PATTERN), 'must be a Kubernetes quantity like 500m or 128Mi'),
  ])
  .meta({ 'x-ignition-sync-int-or-string': QUANTITY_PATTERN });

export const ResourceRequirements = z.strictObject({
  limits: z.record(z.string(), Quantity).optional(),
  requests: z.record(z.string(), Quantity).optional(),
});

export const AgentSpec = z.strictObject({
  image: ImageSpec.optional().describe("Sync agent image; default: the controller's own version."),
  resources: ResourceRequirements.optional().describe('Resources of the sync agent container.'),
});

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

export const IgnitionSync = z.strictObject({
  apiVersion: z.literal(API_VERSION, `must be "${API_VERSION}"`),
  kind: z.literal(Kinds.IgnitionSync),
  metadata: ObjectMeta.extend({ name: DnsLabelName }),
  spec: IgnitionSyncSpec,
  status: IgnitionSyncStatus.optional(),
});
export type IgnitionSync = z.output<typeof IgnitionSync>;
export type IgnitionSyncInput = z.input<typeof IgnitionSync>;
