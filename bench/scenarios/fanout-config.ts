import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const WEBHOOK_KEY = 'bench-webhook-key-7f3a';
export const API_TOKEN = 'ignition-sync:bench-api-secret';
export const SYNC_NAMESPACE = 'bench';
export const SYNC_NAME = 'bench-sync';

/**
 * Writes the standalone config (`ignition-sync run -f`): one IgnitionSync on the bench repo over smart
 * HTTP (webhook on, polling off), one SyncProfile with the bench mappings, one Gateway per simulator;
 * plus the secrets dir. Returns the config file path.
 */
export async function writeFanoutConfig(options: {
  readonly root: string;
  readonly repoUrl: string;
  readonly initialRef: string;
  readonly gateways: readonly { readonly name: string; readonly dataDir: string; readonly url: string }[];
}): Promise<{ configFile: string; secretsDir: string }> {
  const secretsDir = join(options.root, 'secrets');
  for (const [name, key, value] of [
    ['webhook', 'key', WEBHOOK_KEY],
    ['gateway-api', 'apiKey', API_TOKEN],
  ] as const) {
    await mkdir(join(secretsDir, name), { recursive: true });
    await writeFile(join(secretsDir, name, key), `${value}\n`);
  }
  const docs = [
    [
      'apiVersion: sync.ignition.io/v1alpha1',
      'kind: IgnitionSync',
      `metadata: {name: ${SYNC_NAME}, namespace: ${SYNC_NAMESPACE}}`,
      'spec:',
      `  git: {repo: "${options.repoUrl}", ref: "${options.initialRef}"}`,
      '  webhook: {enabled: true, secretRef: {name: webhook, key: key}}',
      '  polling: {enabled: false}',
      '  gateway: {apiKeySecretRef: {name: gateway-api, key: apiKey}}',
    ].join('\n'),
    [
      'apiVersion: sync.ignition.io/v1alpha1',
      'kind: SyncProfile',
      `metadata: {name: bench, namespace: ${SYNC_NAMESPACE}}`,
      'spec:',
      '  mappings:',
      '    - {source: projects, destination: projects}',
      '    - {source: config/resources/core, destination: config/resources/core}',
    ].join('\n'),
    ...options.gateways.map((g) =>
      [
        'apiVersion: sync.ignition.io/v1alpha1',
        'kind: Gateway',
        `metadata: {name: ${g.name}, namespace: ${SYNC_NAMESPACE}}`,
        `spec: {syncRef: ${SYNC_NAME}, profile: bench, dataDir: "${g.dataDir}", url: "${g.url}"}`,
      ].join('\n'),
    ),
  ];
  const configFile = join(options.root, 'bench-fanout.yaml');
  await writeFile(configFile, `${docs.join('\n---\n')}\n`);
  return { configFile, secretsDir };
}
