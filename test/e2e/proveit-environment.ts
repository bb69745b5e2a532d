import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createFixtureRepo,
  type FixtureRepo,
  type GitHttpServer,
  startGitHttpServer,
} from '../harness/git-servers/index.ts';

export const EXAMPLE_DIR = fileURLToPath(new URL('../../examples/proveit', import.meta.url));
export const WEBHOOK_KEY = 'e2e-webhook-key-3b1f';
const GIT_TOKEN = 'e2e-git-token';

async function listFiles(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(root, path)));
    else out.push(relative(root, path));
  }
  return out;
}

/** The bundled example repository content, as fixture files. */
export async function exampleRepoFiles(): Promise<Record<string, string>> {
  const root = join(EXAMPLE_DIR, 'repo');
  const files: Record<string, string> = {};
  for (const path of await listFiles(root)) files[path] = await readFile(join(root, path), 'utf8');
  return files;
}

export interface GatewayDef {
  readonly name: string;
  readonly profile: 'proveit-site' | 'proveit-area';
  readonly url?: string;
}

export interface ProveitEnvironment {
  readonly root: string;
  readonly repo: FixtureRepo;
  readonly git: GitHttpServer;
  readonly secretsDir: string;
  readonly configDir: string;
  readonly stateDir: string;
  dataDir(name: string): string;
  /** Writes the config (example SyncProfiles + an IgnitionSync over smart HTTP with token auth + gateways). */
  writeConfig(
    gateways: readonly GatewayDef[],
    options?: { ref?: string; pollingEnabled?: boolean; rateLimit?: string },
  ): Promise<void>;
  close(): Promise<void>;
}

/**
 * A git server (smart HTTP, token auth) serving the ProveIt example with tag 2.0.0, a secrets dir laid out
 * like mounted Secrets, and a config folder for `run`.
 */
export async function startProveitEnvironment(): Promise<ProveitEnvironment> {
  const root = await mkdtemp(join(tmpdir(), 'igs-e2e-'));
  const repo = await createFixtureRepo(join(root, 'server'), 'conf-proveit26-app');
  const initial = await repo.commit(await exampleRepoFiles(), { message: 'ProveIt 2026' });
  await repo.tag('2.0.0', initial, { annotated: true });
  const git = await startGitHttpServer({ root: join(root, 'server'), token: GIT_TOKEN });
  const secretsDir = join(root, 'secrets');
  for (const [name, key, value] of [
    ['sync-webhook-secret', 'hmac-key', WEBHOOK_KEY],
    ['git-token', 'token', GIT_TOKEN],
    ['ignition-api-key', 'apiKey', 'ignition-sync:e2e-api-secret'],
  ] as const) {
    await mkdir(join(secretsDir, name), { recursive: true });
    await writeFile(join(secretsDir, name, key), `${value}\n`);
  }
  const configDir = join(root, 'config');
  const dataDir = (name: string): string => join(configDir, 'gateways', name, 'data');
  return {
    root,
    repo,
    git,
    secretsDir,
    configDir,
    stateDir: join(root, 'state'),
    dataDir,
    async writeConfig(gateways, options = {}) {
      await mkdir(configDir, { recursive: true });
      const profiles = await readFile(join(EXAMPLE_DIR, 'config', 'sync-profiles.yaml'), 'utf8');
      const sync = proveitSyncYaml(git.url('conf-proveit26-app'), options.ref ?? '2.0.0', [
        '    auth: {token: {secretRef: {name: git-token, key: token}}}',
        '  webhook: {enabled: true, secretRef: {name: sync-webhook-secret, key: hmac-key}}',
        `  polling: {enabled: ${options.pollingEnabled ?? false}, interval: 60s}`,
        '  gateway: {apiKeySecretRef: {name: ignition-api-key, key: apiKey}}',
        ...(options.rateLimit === undefined ? [] : [`  rateLimit: ${options.rateLimit}`]),
      ]);
      const gatewayDocs = gateways.map(gatewayYaml);
      for (const g of gateways) await mkdir(dataDir(g.name), { recursive: true });
      await writeFile(join(configDir, 'proveit.yaml'), [sync, profiles, ...gatewayDocs].join('\n---\n'));
    },
    async close() {
      await git.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** `run -f <config> --secrets-dir secrets --state-dir state --once --output json`, relative to the env root. */
export function onceJsonArgs(config: string): string[] {
  return [
    'run',
    '-f',
    config,
    '--secrets-dir',
    'secrets',
    '--state-dir',
    'state',
    '--once',
    '--output',
    'json',
  ];
}

/** A standalone Gateway document of the proveit-sync IgnitionSync, data dir `./gateways/<name>/data`. */
export function gatewayYaml(g: GatewayDef): string {
  return [
    'apiVersion: sync.ignition.io/v1alpha1',
    'kind: Gateway',
    `metadata: {name: ${g.name}, namespace: site1}`,
    'spec:',
    '  syncRef: proveit-sync',
    `  profile: ${g.profile}`,
    `  dataDir: ./gateways/${g.name}/data`,
    ...(g.url === undefined ? [] : [`  url: ${g.url}`]),
  ].join('\n');
}

/** The proveit-sync IgnitionSync (namespace site1) on `repo` at `ref`; `rest` continues below `spec.git.ref`. */
export function proveitSyncYaml(repo: string, ref: string, rest: readonly string[]): string {
  return [
    'apiVersion: sync.ignition.io/v1alpha1',
    'kind: IgnitionSync',
    'metadata: {name: proveit-sync, namespace: site1}',
    'spec:',
    '  git:',
    `    repo: "${repo}"`,
    `    ref: "${ref}"`,
    ...rest,
  ].join('\n');
}
