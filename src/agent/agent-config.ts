import { AgentDefaults, AgentEnv, DNS_LABEL_PATTERN, DNS_SUBDOMAIN_PATTERN } from '../api/index.ts';

/** How the gateway's files are routed: a named SyncProfile, or 2-tier mode with a service path. */
export type AgentRouting =
  | { readonly kind: 'profile'; readonly profile: string }
  | { readonly kind: 'servicePath'; readonly servicePath: string };

/** Who the agent is: its pod (downward API) and what the pod's annotations say (the webhook's env). */
export interface AgentIdentity {
  readonly podName: string;
  readonly namespace: string;
  readonly podUid: string;
  /** The IgnitionSync the pod follows (annotation `cr-name`). */
  readonly crName: string;
  readonly routing: AgentRouting;
  /** Annotation `gateway-name`, else label `app.kubernetes.io/name`, else the pod name. */
  readonly gatewayName: string;
}

/** Where the agent reads and writes, and how it reaches its gateway. */
export interface AgentSettings {
  /** The gateway's data directory as mounted in the agent container. */
  readonly dataDir: string;
  /** Mounted Secrets: `<secretsDir>/<secret-name>/<key>`. */
  readonly secretsDir: string;
  /** Writable scratch: the checkout lives in `<workDir>/checkout`. */
  readonly workDir: string;
  /** Gateway API base URL; absent: `http(s)://127.0.0.1:<gateway.port>` from the desired state. */
  readonly gatewayUrl?: string | undefined;
}

export interface AgentConfig {
  readonly identity: AgentIdentity;
  readonly settings: AgentSettings;
}

/** Command-line flags; each wins over its environment variable. */
export interface AgentFlags {
  readonly gatewayUrl?: string | undefined;
  readonly dataDir?: string | undefined;
  readonly secretsDir?: string | undefined;
  readonly workDir?: string | undefined;
}

export type AgentConfigResult =
  | { readonly ok: true; readonly config: AgentConfig }
  | { readonly ok: false; readonly problems: readonly string[] };

const NAME = new RegExp(DNS_SUBDOMAIN_PATTERN);
/** Namespaces and IgnitionSync names are RFC 1123 labels (the IgnitionSync name is also a label value). */
const LABEL = new RegExp(DNS_LABEL_PATTERN);

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v === undefined || v === '' ? undefined : v;
}

/**
 * The agent's configuration from the environment the admission webhook injects (`AgentEnv`) and the flags
 * (flags win), with `AgentDefaults` for the directories. Pure: the caller passes the environment. Collects
 * every problem, so a misconfigured pod says everything that is wrong at once.
 */
export function resolveAgentConfig(
  env: Readonly<Record<string, string | undefined>>,
  flags: AgentFlags = {},
): AgentConfigResult {
  const problems: string[] = [];
  const required = (name: string, check?: RegExp): string => {
    const value = nonEmpty(env[name]);
    if (value === undefined) problems.push(`${name} is not set`);
    else if (check !== undefined && !check.test(value))
      problems.push(`${name}=${JSON.stringify(value)} is not a valid Kubernetes name`);
    return value ?? '';
  };
  const podName = required(AgentEnv.podName, NAME);
  const namespace = required(AgentEnv.podNamespace, LABEL);
  const podUid = required(AgentEnv.podUid);
  const crName = required(AgentEnv.crName, LABEL);
  const profile = nonEmpty(env[AgentEnv.syncProfile]);
  const servicePath = nonEmpty(env[AgentEnv.servicePath]);
  let routing: AgentRouting = { kind: 'servicePath', servicePath: '.' };
  if (profile !== undefined && servicePath !== undefined) {
    problems.push(`${AgentEnv.syncProfile} and ${AgentEnv.servicePath} are both set: set exactly one`);
  } else if (profile !== undefined) {
    routing = { kind: 'profile', profile };
  } else if (servicePath !== undefined) {
    routing = { kind: 'servicePath', servicePath };
  } else {
    problems.push(`neither ${AgentEnv.syncProfile} nor ${AgentEnv.servicePath} is set: set exactly one`);
  }
  const gatewayUrl = nonEmpty(flags.gatewayUrl) ?? nonEmpty(env[AgentEnv.gatewayUrl]);
  if (gatewayUrl !== undefined && !/^https?:\/\/[^/]/.test(gatewayUrl)) {
    problems.push(`gateway url ${JSON.stringify(gatewayUrl)} must start with http:// or https://`);
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      identity: {
        podName,
        namespace,
        podUid,
        crName,
        routing,
        gatewayName: nonEmpty(env[AgentEnv.gatewayName]) ?? podName,
      },
      settings: {
        dataDir: nonEmpty(flags.dataDir) ?? nonEmpty(env[AgentEnv.dataDir]) ?? AgentDefaults.dataDir,
        secretsDir:
          nonEmpty(flags.secretsDir) ?? nonEmpty(env[AgentEnv.secretsDir]) ?? AgentDefaults.secretsDir,
        workDir: nonEmpty(flags.workDir) ?? nonEmpty(env[AgentEnv.workDir]) ?? AgentDefaults.workDir,
        ...(gatewayUrl === undefined ? {} : { gatewayUrl }),
      },
    },
  };
}
