import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentDefaults, AgentEnv } from '../../../src/api/index.ts';
import { type KubeClient, objectPath } from '../../../src/kube/index.ts';
import { freePort } from '../net.ts';
import { type CliProcess, spawnCli } from './cli-process.ts';

interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly fieldRef?: { readonly fieldPath: string } };
}
interface VolumeMount {
  readonly name: string;
  readonly mountPath: string;
}
interface Container {
  readonly name: string;
  readonly args?: readonly string[];
  readonly env?: readonly EnvVar[];
  readonly volumeMounts?: readonly VolumeMount[];
  readonly restartPolicy?: string;
  readonly ports?: readonly { readonly name?: string; readonly containerPort: number }[];
  readonly startupProbe?: { readonly httpGet?: { readonly path?: string; readonly port?: number | string } };
}
interface Volume {
  readonly name: string;
  readonly secret?: { readonly secretName: string };
  readonly emptyDir?: object;
  readonly projected?: object;
}
/** The parts of a Pod the materializer reads. */
export interface InjectedPod {
  readonly metadata: { readonly name: string; readonly namespace: string; readonly uid: string };
  readonly spec: {
    readonly initContainers?: readonly Container[];
    readonly containers: readonly Container[];
    readonly volumes?: readonly Volume[];
  };
}

/** The injected sidecar of a pod the apiserver returned, or undefined when nothing was injected. */
export function agentContainerOf(pod: InjectedPod): Container | undefined {
  return pod.spec.initContainers?.find((c) => c.name === AgentDefaults.containerName);
}

export interface InjectedAgent {
  readonly process: CliProcess;
  /** The env the agent got: the injected one, with mount paths moved under `root`. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * The injected startup probe's URL (`http://127.0.0.1:<port><path>`): the probe port is the container's
   * declared one in a pod (its own network namespace); here a free loopback port, passed the same way.
   */
  readonly startupProbeUrl: string;
  /** `/metrics` on the same port. */
  readonly metricsUrl: string;
}

/**
 * Plays the kubelet for the injected sidecar of `pod` (there is no kubelet in the test control plane): every
 * volume mount is materialized under `<root>/fs<mountPath>` — Secret volumes with the Secret's data read from
 * the apiserver, `emptyDir` as a fresh folder, other volumes as the local folder `volumes[name]` gives — the
 * env is taken as injected (downward-API fields resolved from the pod, paths under a mount moved with it),
 * and `ignition-sync agent` starts with exactly that env, plus the kubeconfig a pod would get from its
 * service account and the gateway URL of its simulator.
 */
export async function startInjectedAgent(options: {
  readonly client: KubeClient;
  readonly pod: InjectedPod;
  readonly root: string;
  readonly volumes: Readonly<Record<string, string>>;
  readonly kubeconfig: string;
  readonly gatewayUrl: string;
}): Promise<InjectedAgent> {
  const { pod, client } = options;
  const container = agentContainerOf(pod);
  if (container === undefined) throw new Error(`pod ${pod.metadata.name} has no injected agent`);
  const fsRoot = await mkdtemp(join(options.root, `${pod.metadata.name}-fs-`));
  const moved: [string, string][] = [];
  for (const mount of container.volumeMounts ?? []) {
    const volume = pod.spec.volumes?.find((v) => v.name === mount.name);
    if (volume === undefined) throw new Error(`mount ${mount.name} has no volume`);
    let local: string;
    const given = options.volumes[volume.name];
    if (given !== undefined) {
      // A volume the pod shares with its gateway (the data volume): the folder the test's simulator serves.
      local = given;
    } else if (volume.secret !== undefined) {
      local = join(fsRoot, mount.mountPath);
      await mkdir(local, { recursive: true });
      const secret = await client.get<{ data?: Record<string, string> }>(
        objectPath({
          apiVersion: 'v1',
          plural: 'secrets',
          namespace: pod.metadata.namespace,
          name: volume.secret.secretName,
        }),
      );
      for (const [key, value] of Object.entries(secret.data ?? {}))
        await writeFile(join(local, key), Buffer.from(value, 'base64'), { mode: 0o600 });
    } else if (volume.emptyDir !== undefined || volume.projected !== undefined) {
      // A projected service-account token is not needed: the agent gets the test kubeconfig instead.
      local = join(fsRoot, mount.mountPath);
      await mkdir(local, { recursive: true });
    } else {
      throw new Error(`no local folder for volume ${volume.name}`);
    }
    moved.push([mount.mountPath, local]);
  }
  const fields: Record<string, string> = {
    'metadata.name': pod.metadata.name,
    'metadata.namespace': pod.metadata.namespace,
    'metadata.uid': pod.metadata.uid,
  };
  const env: Record<string, string> = {};
  for (const v of container.env ?? []) {
    const fieldPath = v.valueFrom?.fieldRef?.fieldPath;
    const value = fieldPath === undefined ? v.value : fields[fieldPath];
    if (value === undefined) throw new Error(`env ${v.name} of the agent cannot be resolved`);
    env[v.name] = moveUnderMounts(value, moved);
  }
  env.KUBECONFIG = options.kubeconfig;
  env.IGNITION_SYNC_GATEWAY_URL = options.gatewayUrl;
  const probe = container.startupProbe?.httpGet;
  const declared = container.ports?.find((p) => p.name === probe?.port || p.containerPort === probe?.port);
  if (probe?.path === undefined || declared === undefined || env[AgentEnv.probeListen] === undefined)
    throw new Error(
      `the agent of ${pod.metadata.name} has no startup probe on a declared port it listens on`,
    );
  if (env[AgentEnv.probeListen] !== `:${declared.containerPort}`)
    throw new Error(
      `the agent listens on ${env[AgentEnv.probeListen]}, the probe asks :${declared.containerPort}`,
    );
  const port = await freePort();
  env[AgentEnv.probeListen] = `127.0.0.1:${port}`;
  const args = [...(container.args ?? ['agent']), '--kubeconfig', options.kubeconfig];
  return {
    process: spawnCli(`agent ${pod.metadata.name}`, args, env),
    env,
    startupProbeUrl: `http://127.0.0.1:${port}${probe.path}`,
    metricsUrl: `http://127.0.0.1:${port}/metrics`,
  };
}

/** `/etc/ignition-sync/secrets` → its materialized folder, when a mount covers the path. */
function moveUnderMounts(value: string, moved: readonly [string, string][]): string {
  // The longest mount path that prefixes the value (a mount inside another wins).
  const match = [...moved]
    .sort((a, b) => b[0].length - a[0].length)
    .find(([path]) => value === path || value.startsWith(`${path}/`));
  if (match !== undefined) return `${match[1]}${value.slice(match[0].length)}`;
  // A folder that holds mounts (the secrets dir holds one mount per Secret) moves with them.
  const child = moved.find(([path]) => path.startsWith(`${value}/`));
  if (child !== undefined) return child[1].slice(0, child[1].length - (child[0].length - value.length));
  return value;
}
