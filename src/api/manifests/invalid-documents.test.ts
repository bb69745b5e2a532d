import { describe, expect, it } from 'vitest';
import { parseManifests } from './parse-manifests.ts';
import type { ValidationIssue } from './validation-issue.ts';

// Invalid documents, each with the exact issues `validate` must report (path + message). Documents are
// built from a minimal valid IgnitionSync / SyncProfile / Gateway with one thing broken.
const head = (kind: string, name = 'x') =>
  `apiVersion: sync.ignition.io/v1alpha1\nkind: ${kind}\nmetadata:\n  name: ${name}\n`;
const git = (lines = 'repo: "git@github.com:org/app.git"\n    ref: main') => `spec:\n  git:\n    ${lines}\n`;
const igs = (extra = '', gitLines?: string) => `${head('IgnitionSync')}${git(gitLines)}${extra}`;
const sp = (mappings: string, extra = '') => `${head('SyncProfile')}spec:\n  mappings:\n${mappings}${extra}`;
const m = (source: string, destination: string, more = '') =>
  `    - source: ${JSON.stringify(source)}\n      destination: ${JSON.stringify(destination)}\n${more}`;
const okMapping = m('services/site/projects', 'projects');
const gw = (spec: string) =>
  `${head('Gateway', 'site')}spec:\n  syncRef: proveit-sync\n  dataDir: ./data\n${spec}`;

const RELATIVE = 'must be a relative path without ".."';
const DURATION = 'must be a duration like "30s", "5m" or "1h30m" (units ms, s, m, h)';
const BAD_REF = 'must be a valid git branch, tag or commit (git check-ref-format rules)';
const GIT_URL =
  'must be a git URL: git@host:path, ssh://host/path, https://host/path, http://host/path or file:///path';

const cases: readonly [string, string, readonly (readonly [string, string])[]][] = [
  [
    'wrong apiVersion',
    igs().replace('v1alpha1', 'v1'),
    [['apiVersion', 'must be "sync.ignition.io/v1alpha1"']],
  ],
  ['missing apiVersion', igs().replace(/^apiVersion.*\n/, ''), [['apiVersion', 'required']]],
  [
    'wrong kind',
    igs().replace('kind: IgnitionSync', 'kind: IgnitionSyncs'),
    [['kind', 'must be one of IgnitionSync, SyncProfile, Gateway']],
  ],
  ['missing spec', head('IgnitionSync'), [['spec', 'required']]],
  ['missing repo', igs('', 'ref: main'), [['spec.git.repo', 'required']]],
  ['missing ref', igs('', 'repo: "git@github.com:org/app.git"'), [['spec.git.ref', 'required']]],
  [
    'repo that is not a git URL',
    igs('', 'repo: "github.com/org/app"\n    ref: main'),
    [['spec.git.repo', GIT_URL]],
  ],
  [
    'repo read as a command-line option',
    igs('', 'repo: "-oProxyCommand=x"\n    ref: main'),
    [['spec.git.repo', GIT_URL]],
  ],
  [
    'credentials in the repo URL',
    igs('', 'repo: "https://user:hunter2@git.example.com/app.git"\n    ref: main'),
    [['spec.git.repo', 'must not contain credentials; use spec.git.auth.token']],
  ],
  [
    'ref with ".."',
    igs('', 'repo: "git@github.com:org/app.git"\n    ref: "feature..x"'),
    [['spec.git.ref', BAD_REF]],
  ],
  [
    'ref starting with "-"',
    igs('', 'repo: "git@github.com:org/app.git"\n    ref: "--upload-pack=evil"'),
    [['spec.git.ref', BAD_REF]],
  ],
  [
    'ref with a space',
    igs('', 'repo: "git@github.com:org/app.git"\n    ref: "my branch"'),
    [['spec.git.ref', BAD_REF]],
  ],
  [
    'unquoted numeric ref',
    igs('', 'repo: "git@github.com:org/app.git"\n    ref: 2.0'),
    [['spec.git.ref', 'must be a string, got number']],
  ],
  ['unknown spec field', igs('  pollling:\n    interval: 60s\n'), [['spec.pollling', 'unknown field']]],
  [
    'unknown metadata field',
    igs().replace('  name: x\n', '  name: x\n  lables: {a: b}\n'),
    [['metadata.lables', 'unknown field']],
  ],
  ['bad polling duration', igs('  polling:\n    interval: "60"\n'), [['spec.polling.interval', DURATION]]],
  ['duration with days', igs('  approval:\n    timeout: 1d\n'), [['spec.approval.timeout', DURATION]]],
  [
    'polling interval too short',
    igs('  polling:\n    interval: 1s\n'),
    [['spec.polling.interval', 'must be at least 5s']],
  ],
  [
    'port as a string',
    igs('  gateway:\n    port: "8043"\n'),
    [['spec.gateway.port', 'must be a number, got string']],
  ],
  [
    'port out of range',
    igs('  webhook:\n    port: 70000\n'),
    [['spec.webhook.port', 'must be between 1 and 65535']],
  ],
  [
    'boolean as a string',
    igs('  gateway:\n    tls: "yes"\n'),
    [['spec.gateway.tls', 'must be a boolean, got string']],
  ],
  [
    'excludePatterns not a list',
    igs('  excludePatterns: "**/.git/"\n'),
    [['spec.excludePatterns', 'must be an array, got string']],
  ],
  [
    'both sshKey and token',
    igs(
      '',
      'repo: "https://git.example.com/app.git"\n    ref: main\n    auth:\n      sshKey: {secretRef: {name: a, key: b}}\n      token: {secretRef: {name: c, key: d}}',
    ),
    [
      ['spec.git.auth', 'sshKey and token are mutually exclusive: set exactly one of them'],
      ['spec.git.auth.sshKey', 'sshKey auth needs an SSH repo URL (git@host:path or ssh://)'],
    ],
  ],
  [
    'token auth with an SSH repo',
    igs(
      '',
      'repo: "git@github.com:org/app.git"\n    ref: main\n    auth:\n      token: {secretRef: {name: c, key: d}}',
    ),
    [['spec.git.auth.token', 'token auth needs an https:// or http:// repo URL']],
  ],
  [
    'secretRef without key',
    igs(
      '',
      'repo: "git@github.com:org/app.git"\n    ref: main\n    auth:\n      sshKey: {secretRef: {name: a}}',
    ),
    [['spec.git.auth.sshKey.secretRef.key', 'required']],
  ],
  [
    'webhook enabled without a secret',
    igs('  webhook:\n    enabled: true\n'),
    [['spec.webhook.secretRef', 'is required when webhook.enabled is true (deliveries are authenticated)']],
  ],
  [
    'placeholder image digest (the seed\'s "sha256:...")',
    igs('  agent:\n    image:\n      repository: ghcr.io/x/agent\n      digest: "sha256:..."\n'),
    [['spec.agent.image.digest', 'must be an image digest "sha256:" followed by 64 lowercase hex digits']],
  ],
  [
    'bad pullPolicy enum',
    igs('  agent:\n    image:\n      repository: ghcr.io/x/agent\n      pullPolicy: Sometimes\n'),
    [['spec.agent.image.pullPolicy', 'must be one of Always, IfNotPresent, Never']],
  ],
  [
    'bad resource quantities',
    igs('  agent:\n    resources:\n      limits: {cpu: "lots"}\n      requests: {memory: [1]}\n'),
    [
      ['spec.agent.resources.limits.cpu', 'must be a Kubernetes quantity like 500m or 128Mi'],
      [
        'spec.agent.resources.requests.memory',
        'must be a number or a Kubernetes quantity like 500m or 128Mi',
      ],
    ],
  ],
  [
    'rateLimit of zero',
    igs('  rateLimit:\n    maxConcurrentSyncs: 0\n'),
    [['spec.rateLimit.maxConcurrentSyncs', 'must be at least 1']],
  ],
  [
    'uppercase name',
    igs().replace('name: x', 'name: Proveit_Sync'),
    [['metadata.name', 'must be a lowercase RFC 1123 label (a-z, 0-9, "-")']],
  ],
  ['absolute mapping source', sp(m('/etc', 'projects')), [['spec.mappings[0].source', RELATIVE]]],
  [
    '".." destination',
    sp(okMapping + m('shared', '../outside')),
    [['spec.mappings[1].destination', RELATIVE]],
  ],
  [
    '".." in the middle of a source',
    sp(okMapping + okMapping + m('services/../../etc', 'config')),
    [['spec.mappings[2].source', RELATIVE]],
  ],
  [
    'backslash path',
    sp(m('services\\site', 'projects')),
    [['spec.mappings[0].source', 'must not contain control characters or backslashes (use "/")']],
  ],
  [
    'bad mapping type enum',
    sp(m('a', 'b', '      type: folder\n')),
    [['spec.mappings[0].type', 'must be one of dir, file']],
  ],
  [
    'file mapping onto the data dir root',
    sp(m('factory-config.json', '.', '      type: file\n')),
    [
      [
        'spec.mappings[0].destination',
        'a file mapping needs a file path, not the root directory or a path ending in "/"',
      ],
    ],
  ],
  [
    'required as a string',
    sp(m('a', 'b', '      required: "true"\n')),
    [['spec.mappings[0].required', 'must be a boolean, got string']],
  ],
  ['unknown mapping field', sp(m('a', 'b', '      dest: c\n')), [['spec.mappings[0].dest', 'unknown field']]],
  [
    'no mappings',
    sp('    []\n').replace('mappings:\n    []', 'mappings: []'),
    [['spec.mappings', 'must list at least one mapping']],
  ],
  [
    'deployment mode named like a built-in collection',
    sp(okMapping, '  deploymentMode:\n    name: core\n    source: overlays/core\n'),
    [['spec.deploymentMode.name', 'must not be a built-in collection (core, external, local, system)']],
  ],
  [
    'bad designerSessionPolicy',
    sp(okMapping, '  designerSessionPolicy: ignore\n'),
    [['spec.designerSessionPolicy', 'must be one of proceed, wait, fail']],
  ],
  [
    'Gateway with profile and servicePath',
    gw('  profile: a\n  servicePath: .\n'),
    [['spec', 'set exactly one of profile or servicePath']],
  ],
  [
    'Gateway with neither profile nor servicePath',
    gw(''),
    [['spec', 'set exactly one of profile or servicePath']],
  ],
  [
    'Gateway url with credentials',
    gw('  profile: a\n  url: "https://admin:pw@gw:8043"\n'),
    [['spec.url', 'must be an http:// or https:// URL without credentials']],
  ],
  [
    'duplicate names in one file',
    `${sp(okMapping)}---\n${sp(okMapping)}`,
    [['metadata.name', 'duplicate SyncProfile "x" (already defined in document 1)']],
  ],
  [
    'document that is a list',
    '- a\n- b\n',
    [['', 'must be a mapping with apiVersion, kind, metadata and spec']],
  ],
  [
    "duplicate YAML keys (the seed's air-gapped fragment)",
    igs().replace('    ref: main', '    ref: main\n    ref: v2'),
    [['', 'invalid YAML: Map keys must be unique']],
  ],
];

describe('invalid documents', () => {
  it('has at least 20 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)('%s', (_name, text, expected) => {
    const { issues, documents } = parseManifests(text, 'bad.yaml');
    expect(issues.map((i) => [i.path, i.message])).toEqual(expected);
    // A document with an issue is never handed to consumers.
    for (const i of issues) expect(documents.map((d) => d.documentIndex)).not.toContain(i.documentIndex);
  });
});

describe('issue locations', () => {
  it('report source, document index, kind, name and the line of the field', () => {
    const second = sp(okMapping + m('shared', '/abs')).replace('name: x', 'name: y');
    const text = `${sp(okMapping)}---\n${second}`;
    // Lines 1-8: first document, 9: "---", 10-13: head of the second, 14-15: spec/mappings, 16-17: first
    // mapping, 18: "- source: shared", 19: "destination: /abs".
    expect(text.split('\n')[18]).toBe('      destination: "/abs"');
    const { issues } = parseManifests(text, 'profiles.yaml');
    expect(issues).toEqual<ValidationIssue[]>([
      {
        source: 'profiles.yaml',
        documentIndex: 1,
        kind: 'SyncProfile',
        name: 'y',
        path: 'spec.mappings[1].destination',
        message: RELATIVE,
        line: 19,
      },
    ]);
  });

  it('skips empty documents and comments-only documents', () => {
    const text = `${igs()}---\n# only a comment\n---\n---\n${sp(okMapping)}---\n`;
    const { issues, documents } = parseManifests(text, 'a.yaml');
    expect(issues).toEqual([]);
    expect(documents.map((d) => [d.kind, d.documentIndex])).toEqual([
      ['IgnitionSync', 0],
      ['SyncProfile', 3],
    ]);
  });

  it('accepts the same name in different namespaces and for different kinds', () => {
    const a = igs().replace('name: x', 'name: x\n  namespace: a');
    const b = igs().replace('name: x', 'name: x\n  namespace: b');
    expect(parseManifests(`${a}---\n${b}---\n${sp(okMapping)}`, 'a.yaml').issues).toEqual([]);
  });
});
