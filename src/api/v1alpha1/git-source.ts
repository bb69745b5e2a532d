import { z } from 'zod';
import { SecretKeyRef, SecretRefHolder } from './common.ts';
import { isValidGitRef, MAX_GIT_REF_LENGTH } from './git-ref.ts';
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
