import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyJsonPatch } from '../../../test/harness/json-patch.ts';
import { AgentDefaults, AgentEnv, IgnitionSync, PodAnnotations } from '../../api/index.ts';
import type { AdmissionDecision, AdmissionRequest } from '../../kube/index.ts';
import { createSilentLogger } from '../../observability/index.ts';
import {
  createInjectionHandler,
  DEFAULT_AGENT_IMAGE,
  IGNITION_DATA_PATH,
  secretVolumeName,
} from './index.ts';
import type { Container, Pod } from './pod.ts';

const SEED = join(import.meta.dirname, '../../../test/fixtures/manifests/seed');
const seed = (file: string, namespace = 'site1'): IgnitionSync => {
  const doc = parse(readFileSync(join(SEED, file), 'utf8')) as { metadata: Record<string, unknown> };
  return IgnitionSync.parse({ ...doc, metadata: { ...doc.metadata, namespace } });
};
const proveit = seed('proveit-sync.yaml');
const mySync = seed('my-sync.yaml');

function handlerFor(...syncs: IgnitionSync[]) {
  const byKey = new Map(syncs.map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, s]));
  return createInjectionHandler({
    lookupIgnitionSync: (ns, name) => byKey.get(`${ns}/${name}`),
    logger: createSilentLogger(),
  });
}

/** A gateway pod as the Ignition chart renders it: data volume "data" mounted at the data dir. */
function gatewayPod(annotations: Record<string, string> | undefined, extra: Partial<Pod['spec']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: 'area1-gateway-',
      labels: { 'app.kubernetes.io/name': 'area1' },
      ...(annotations === undefined ? {} : { annotations }),
    },
    spec: {
      containers: [
        {
          name: 'gateway',
          image: 'inductiveautomation/ignition:8.3.0',
          volumeMounts: [{ name: 'data', mountPath: IGNITION_DATA_PATH }],
        },
      ],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-area1-0' } }],
      serviceAccountName: 'gateway',
      ...extra,
    },
  };
}

function review(pod: Pod, namespace = 'site1'): AdmissionRequest {
  return {
    uid: '6f0c9b1e-0000-4000-8000-000000000001',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    namespace,
    operation: 'CREATE',
    object: pod,
  };
}

async function admit(handler: ReturnType<typeof handlerFor>, pod: Pod, namespace?: string) {
  const decision = (await handler(review(pod, namespace))) as AdmissionDecision & { allowed: true };
  expect(decision.allowed).toBe(true);
  const patched = applyJsonPatch(pod, decision.patch ?? []);
  return {
    decision,
    patched,
    agent: patched.spec?.initContainers?.find((c) => c.name === AgentDefaults.containerName),
  };
}

const proveitArea = {
  [PodAnnotations.inject]: 'true',
  [PodAnnotations.crName]: 'proveit-sync',
  [PodAnnotations.syncProfile]: 'proveit-area',
};

const envOf = (c: Container | undefined) =>
  Object.fromEntries((c?.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));

describe('createInjectionHandler', () => {
  it('injects the agent as a native sidecar into a ProveIt pod (sync-profile)', async () => {
    const { agent, patched, decision } = await admit(handlerFor(proveit), gatewayPod(proveitArea));
    expect(decision.warnings).toBeUndefined();
    expect(agent).toMatchObject({
      image: 'ghcr.io/inductiveautomation/ignition-sync-agent:1.0.0',
      imagePullPolicy: 'IfNotPresent',
      args: ['agent'],
      restartPolicy: 'Always',
      securityContext: {
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
    });
    expect(envOf(agent)).toEqual({
      [AgentEnv.podName]: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } },
      [AgentEnv.podNamespace]: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } },
      [AgentEnv.podUid]: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.uid' } },
      [AgentEnv.crName]: 'proveit-sync',
      [AgentEnv.syncProfile]: 'proveit-area',
      [AgentEnv.gatewayName]: 'area1',
      [AgentEnv.dataDir]: AgentDefaults.dataDir,
      [AgentEnv.secretsDir]: AgentDefaults.secretsDir,
      [AgentEnv.workDir]: AgentDefaults.workDir,
      [AgentEnv.probeListen]: ':8099',
    });
    // The gateway container starts only after the agent's initial sync: the startup probe on its /readyz,
    // served on the declared port; no readiness or liveness probe (the agent never takes the gateway down).
    expect(agent?.ports).toEqual([{ name: 'igs-agent', containerPort: 8099, protocol: 'TCP' }]);
    expect(agent?.startupProbe).toEqual({
      httpGet: { path: '/readyz', port: 'igs-agent', scheme: 'HTTP' },
      periodSeconds: 2,
      timeoutSeconds: 2,
      failureThreshold: 900,
    });
    expect(agent?.readinessProbe).toBeUndefined();
    expect(agent?.livenessProbe).toBeUndefined();
    const mounts = Object.fromEntries((agent?.volumeMounts ?? []).map((m) => [m.mountPath, m]));
    expect(mounts[AgentDefaults.dataDir]?.name).toBe('data');
    expect(mounts[AgentDefaults.workDir]?.name).toBe('ignition-sync-work');
    // The seed names git-sync-secret (SSH key) and ignition-api-key (gateway token); the webhook HMAC key is
    // the controller's, never the agent's.
    expect(mounts[`${AgentDefaults.secretsDir}/git-sync-secret`]).toMatchObject({ readOnly: true });
    expect(mounts[`${AgentDefaults.secretsDir}/ignition-api-key`]).toMatchObject({ readOnly: true });
    expect(Object.keys(mounts).some((p) => p.includes('sync-webhook-secret'))).toBe(false);
    const volumes = Object.fromEntries((patched.spec?.volumes ?? []).map((v) => [v.name, v]));
    expect(Object.keys(volumes).sort()).toEqual(
      [
        'data',
        'ignition-sync-api-access',
        'ignition-sync-work',
        secretVolumeName('git-sync-secret'),
        secretVolumeName('ignition-api-key'),
      ].sort(),
    );
    expect(volumes[secretVolumeName('git-sync-secret')]?.secret).toEqual({
      secretName: 'git-sync-secret',
      defaultMode: 0o444,
      optional: true,
    });
    expect(volumes['ignition-sync-work']?.emptyDir).toEqual({});
    // The gateway container is untouched.
    expect(patched.spec?.containers).toEqual(gatewayPod(proveitArea).spec?.containers);
  });

  it('2-tier pod (service-path ".") gets IGNITION_SYNC_SERVICE_PATH and no profile', async () => {
    const pod = gatewayPod({
      [PodAnnotations.inject]: 'true',
      [PodAnnotations.crName]: 'my-sync',
      [PodAnnotations.servicePath]: '.',
    });
    const { agent } = await admit(handlerFor(mySync), pod);
    const env = envOf(agent);
    expect(env[AgentEnv.servicePath]).toBe('.');
    expect(env).not.toHaveProperty(AgentEnv.syncProfile);
    expect(agent?.volumeMounts?.map((m) => m.mountPath)).toContain(`${AgentDefaults.secretsDir}/git-token`);
  });

  it('gateway-name annotation wins over the app.kubernetes.io/name label; absent both, no variable', async () => {
    const named = await admit(
      handlerFor(proveit),
      gatewayPod({ ...proveitArea, [PodAnnotations.gatewayName]: 'area-1-gw' }),
    );
    expect(envOf(named.agent)[AgentEnv.gatewayName]).toBe('area-1-gw');
    const unlabelled = gatewayPod(proveitArea);
    delete unlabelled.metadata?.labels;
    const anonymous = await admit(handlerFor(proveit), unlabelled);
    expect(envOf(anonymous.agent)).not.toHaveProperty(AgentEnv.gatewayName);
  });

  it('is idempotent: a pod that already has the agent gets no patch (re-invocation)', async () => {
    const handler = handlerFor(proveit);
    const { patched } = await admit(handler, gatewayPod(proveitArea));
    const again = await handler(review(patched));
    expect(again).toEqual({ allowed: true });
  });

  it('leaves pods without the annotation, or with inject other than "true", unchanged', async () => {
    const handler = handlerFor(proveit);
    expect(await handler(review(gatewayPod(undefined)))).toEqual({ allowed: true });
    expect(await handler(review(gatewayPod({ ...proveitArea, [PodAnnotations.inject]: 'True' })))).toEqual({
      allowed: true,
    });
    expect(await handler(review(gatewayPod({ ...proveitArea, [PodAnnotations.inject]: 'false' })))).toEqual({
      allowed: true,
    });
  });

  it('admits a pod naming an unknown IgnitionSync without the agent, with a warning and the skip annotation', async () => {
    const { decision, patched, agent } = await admit(handlerFor(), gatewayPod(proveitArea));
    expect(agent).toBeUndefined();
    expect(decision.warnings?.[0]).toMatch(
      /^ignition-sync: IgnitionSyncNotFound: IgnitionSync site1\/proveit-sync not found; the pod starts without the sync agent/,
    );
    expect(patched.metadata?.annotations?.[PodAnnotations.injectionSkipped]).toMatch(
      /^IgnitionSyncNotFound: /,
    );
    expect(patched.spec).toEqual(gatewayPod(proveitArea).spec);
  });

  it('an IgnitionSync of another namespace does not count', async () => {
    const { agent, decision } = await admit(handlerFor(proveit), gatewayPod(proveitArea), 'site2');
    expect(agent).toBeUndefined();
    expect(decision.warnings?.[0]).toContain('site2/proveit-sync not found');
  });

  it('pins the image by digest when both digest and tag are set; default image when none is set', async () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const pinned = IgnitionSync.parse({
      ...proveit,
      spec: {
        ...proveit.spec,
        agent: {
          image: { repository: 'registry.local:5000/isa', tag: '1.0.0', digest, pullPolicy: 'Always' },
        },
      },
    });
    const a = await admit(handlerFor(pinned), gatewayPod(proveitArea));
    expect(a.agent?.image).toBe(`registry.local:5000/isa@${digest}`);
    expect(a.agent?.imagePullPolicy).toBe('Always');
    const mirror = IgnitionSync.parse({
      ...proveit,
      spec: { ...proveit.spec, agent: { image: { repository: 'registry.local:5000/isa' } } },
    });
    expect((await admit(handlerFor(mirror), gatewayPod(proveitArea))).agent?.image).toBe(
      'registry.local:5000/isa:0.1.0',
    );
    const plain = IgnitionSync.parse({ ...proveit, spec: { ...proveit.spec, agent: undefined } });
    const b = await admit(handlerFor(plain), gatewayPod(proveitArea));
    expect(b.agent?.image).toBe(DEFAULT_AGENT_IMAGE);
    expect(b.agent?.resources).toEqual({
      requests: { cpu: '50m', memory: '128Mi' },
      limits: { memory: '512Mi' },
    });
  });

  it('mounts a Secret referenced twice once (SSH key and known_hosts in one Secret)', async () => {
    const igs = IgnitionSync.parse({
      ...proveit,
      spec: {
        ...proveit.spec,
        git: {
          ...proveit.spec.git,
          auth: {
            sshKey: {
              secretRef: { name: 'git-creds', key: 'ssh-privatekey' },
              knownHostsSecretRef: { name: 'git-creds', key: 'known_hosts' },
            },
          },
        },
        gateway: { ...proveit.spec.gateway, apiKeySecretRef: { name: 'git-creds', key: 'apiKey' } },
      },
    });
    const { patched, agent } = await admit(handlerFor(igs), gatewayPod(proveitArea));
    expect(patched.spec?.volumes?.filter((v) => v.secret?.secretName === 'git-creds')).toHaveLength(1);
    expect(agent?.volumeMounts?.filter((m) => m.mountPath.endsWith('/git-creds'))).toHaveLength(1);
  });

  it('names volumes of dotted or long Secret names with a hash (volume names are DNS labels)', () => {
    expect(secretVolumeName('git-creds')).toBe('ignition-sync-secret-git-creds');
    expect(secretVolumeName('git.creds')).toMatch(/^ignition-sync-secret-[0-9a-f]{16}$/);
    expect(secretVolumeName('x'.repeat(60))).toMatch(/^ignition-sync-secret-[0-9a-f]{16}$/);
    expect(secretVolumeName('git.creds')).not.toBe(secretVolumeName('git.cred'));
  });

  it('escapes "/" in annotation keys in the JSON pointer, and removes a stale skip annotation on injection', async () => {
    const handler = handlerFor(proveit);
    const skipped = await admit(handlerFor(), gatewayPod(proveitArea));
    expect(skipped.decision.patch?.map((p) => p.path)).toEqual([
      '/metadata/annotations/ignition-sync.io~1injection-skipped',
    ]);
    const injected = await admit(handler, skipped.patched);
    expect(injected.decision.patch?.at(-1)).toEqual({
      op: 'remove',
      path: '/metadata/annotations/ignition-sync.io~1injection-skipped',
    });
    expect(injected.patched.metadata?.annotations).toEqual(proveitArea);
    expect(injected.agent).toBeDefined();
  });

  it('appends after the pod’s own init containers and volumes (they may seed the data dir first)', async () => {
    const pod = gatewayPod(proveitArea, {
      initContainers: [
        { name: 'seed-data', image: 'busybox', volumeMounts: [{ name: 'data', mountPath: '/data' }] },
      ],
    });
    const { patched, decision } = await admit(handlerFor(proveit), pod);
    expect(patched.spec?.initContainers?.map((c) => c.name)).toEqual([
      'seed-data',
      AgentDefaults.containerName,
    ]);
    expect(decision.patch?.[0]?.path).toBe('/spec/initContainers/-');
    expect(patched.spec?.volumes?.[0]?.name).toBe('data');
  });

  it('finds the data volume by the data-volume annotation and copies the gateway’s subPath', async () => {
    const pod = gatewayPod(
      { ...proveitArea, [PodAnnotations.dataVolume]: 'storage' },
      {
        containers: [
          {
            name: 'gateway',
            image: 'ignition',
            volumeMounts: [{ name: 'storage', mountPath: '/var/lib/ignition', subPath: 'gw' }],
          },
        ],
        volumes: [{ name: 'storage', emptyDir: {} }],
      },
    );
    const { agent } = await admit(handlerFor(proveit), pod);
    expect(agent?.volumeMounts?.[0]).toEqual({
      name: 'storage',
      mountPath: AgentDefaults.dataDir,
      subPath: 'gw',
    });
  });

  it('admits a pod without a data volume unchanged but for the skip annotation', async () => {
    const pod = gatewayPod(proveitArea, { containers: [{ name: 'gateway', image: 'ignition' }] });
    const { agent, decision } = await admit(handlerFor(proveit), pod);
    expect(agent).toBeUndefined();
    expect(decision.warnings?.[0]).toContain('DataVolumeNotFound');
    const named = gatewayPod({ ...proveitArea, [PodAnnotations.dataVolume]: 'nope' });
    expect((await admit(handlerFor(proveit), named)).decision.warnings?.[0]).toContain('names volume "nope"');
  });

  it('refuses to guess with invalid annotations: no cr-name, both or neither target, a ".." service path', async () => {
    const handler = handlerFor(proveit);
    const cases = [
      { [PodAnnotations.inject]: 'true', [PodAnnotations.syncProfile]: 'p' },
      { ...proveitArea, [PodAnnotations.servicePath]: '.' },
      { [PodAnnotations.inject]: 'true', [PodAnnotations.crName]: 'proveit-sync' },
      {
        [PodAnnotations.inject]: 'true',
        [PodAnnotations.crName]: 'proveit-sync',
        [PodAnnotations.servicePath]: '../etc',
      },
    ];
    for (const annotations of cases) {
      const { agent, decision } = await admit(handler, gatewayPod(annotations));
      expect(agent).toBeUndefined();
      expect(decision.warnings?.[0]).toContain('InjectionAnnotationsInvalid');
    }
  });

  it('runs the agent as the gateway’s user, never as root', async () => {
    const asUser = gatewayPod(proveitArea, {
      securityContext: { runAsUser: 2003, runAsGroup: 2003, fsGroup: 2003 },
    });
    const a = await admit(handlerFor(proveit), asUser);
    expect(a.agent?.securityContext).toMatchObject({ runAsUser: 2003, runAsGroup: 2003, runAsNonRoot: true });
    expect(a.patched.spec?.volumes?.find((v) => v.secret !== undefined)?.secret?.defaultMode).toBe(0o440);
    const root = gatewayPod(proveitArea, { securityContext: { runAsUser: 0 } });
    expect((await admit(handlerFor(proveit), root)).agent?.securityContext?.runAsUser).toBe(2003);
  });

  it('sets serviceAccountName default when the pod has none (a projected token needs one)', async () => {
    const pod = gatewayPod(proveitArea);
    delete pod.spec?.serviceAccountName;
    expect((await admit(handlerFor(proveit), pod)).patched.spec?.serviceAccountName).toBe('default');
    const named = await admit(handlerFor(proveit), gatewayPod(proveitArea));
    expect(named.decision.patch?.some((p) => p.path === '/spec/serviceAccountName')).toBe(false);
  });

  it('admits the pod unchanged when the lookup throws (allowed:false would deny, whatever failurePolicy says)', async () => {
    const handler = createInjectionHandler({
      lookupIgnitionSync: () => {
        throw new Error('cache exploded');
      },
      logger: createSilentLogger(),
    });
    const decision = await handler(review(gatewayPod(proveitArea)));
    expect(decision).toEqual({
      allowed: true,
      warnings: ['ignition-sync: injection failed: cache exploded'],
    });
  });

  it('ignores other operations and kinds', async () => {
    const handler = handlerFor(proveit);
    expect(await handler({ ...review(gatewayPod(proveitArea)), operation: 'UPDATE' })).toEqual({
      allowed: true,
    });
    expect(
      await handler({
        ...review(gatewayPod(proveitArea)),
        kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
      }),
    ).toEqual({ allowed: true });
  });
});
