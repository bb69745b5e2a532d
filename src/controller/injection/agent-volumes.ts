import { createHash } from 'node:crypto';
import { AgentDefaults, DNS_LABEL_PATTERN, type IgnitionSync } from '../../api/index.ts';
import type { Pod, Volume } from './pod.ts';

/** Scratch space of the agent (checkout, git HOME, /tmp): an emptyDir. */
export const WORK_VOLUME = 'ignition-sync-work';
/** The agent's own API credentials (a projected service account token, CA and namespace). */
export const API_ACCESS_VOLUME = 'ignition-sync-api-access';
/** Where client libraries look for in-cluster credentials. */
export const API_ACCESS_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const SECRET_VOLUME_PREFIX = 'ignition-sync-secret-';
const TOKEN_EXPIRATION_SECONDS = 3607;
const dnsLabel = new RegExp(DNS_LABEL_PATTERN);

/**
 * Every Secret the agent reads, each once, in spec order: git SSH key and known_hosts, git token, gateway API
 * token, gateway CA. (Webhook and GPG secrets are the controller's, not the agent's.)
 */
export function agentSecretNames(igs: IgnitionSync): string[] {
  const auth = igs.spec.git.auth;
  const names = [
    auth?.sshKey?.secretRef.name,
    auth?.sshKey?.knownHostsSecretRef?.name,
    auth?.token?.secretRef.name,
    igs.spec.gateway.apiKeySecretRef?.name,
    igs.spec.gateway.caSecretRef?.name,
  ].filter((n): n is string => n !== undefined);
  return [...new Set(names)];
}

/**
 * Volume name of a Secret: `ignition-sync-secret-<name>` when that is a DNS label, else the prefix plus a hash
 * of the name (Secret names may have dots and 253 characters; volume names are labels of at most 63).
 */
export function secretVolumeName(secretName: string): string {
  const plain = `${SECRET_VOLUME_PREFIX}${secretName}`;
  if (plain.length <= 63 && dnsLabel.test(plain)) return plain;
  return `${SECRET_VOLUME_PREFIX}${createHash('sha256').update(secretName).digest('hex').slice(0, 16)}`;
}

/**
 * Secret files are `0440` when the pod has an `fsGroup` (the kubelet gives them that group, which the agent
 * has); without one they would be `root:root` and unreadable for a non-root agent, so they are `0444`. Only
 * the agent container mounts them either way.
 */
function secretMode(pod: Pod): number {
  return pod.spec?.securityContext?.fsGroup === undefined ? 0o444 : 0o440;
}

/** The volumes the agent adds to the pod. */
export function agentVolumes(pod: Pod, secretNames: readonly string[]): Volume[] {
  return [
    { name: WORK_VOLUME, emptyDir: {} },
    {
      name: API_ACCESS_VOLUME,
      projected: {
        defaultMode: 0o444,
        sources: [
          { serviceAccountToken: { path: 'token', expirationSeconds: TOKEN_EXPIRATION_SECONDS } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          {
            downwardAPI: {
              items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
            },
          },
        ],
      },
    },
    ...secretNames.map(
      (name): Volume => ({
        name: secretVolumeName(name),
        // optional: a missing Secret must not keep the gateway pod in ContainerCreating (volumes are set up
        // for the whole pod before any container starts); the agent reports the missing file instead.
        secret: { secretName: name, defaultMode: secretMode(pod), optional: true },
      }),
    ),
  ];
}

/** Mount path of a Secret in the agent: `<secretsDir>/<secret-name>` (the layout of `--secrets-dir`). */
export function secretMountPath(secretName: string): string {
  return `${AgentDefaults.secretsDir}/${secretName}`;
}
