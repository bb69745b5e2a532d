import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  buildInstallManifests,
  InstallNames,
  type InstallOptions,
  renderManifests,
  type ServiceAccountRef,
} from '../install/index.ts';
import { ExitCode } from './io.ts';
import type { RegisterCommand } from './program.ts';

interface ManifestsFlags {
  readonly namespace?: string;
  readonly webhookUrl?: string;
  readonly serviceName?: string;
  readonly servicePort?: string;
  readonly caBundleFile?: string;
  readonly secretNamespace?: string[];
  readonly agentServiceAccount?: string[];
  readonly crds: boolean;
}

const repeat = (v: string, acc: string[] = []) => [...acc, v];

function parseServiceAccount(text: string): ServiceAccountRef | undefined {
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-.a-z0-9]*[a-z0-9])?)$/.exec(text);
  return m === null ? undefined : { namespace: m[1] as string, name: m[3] as string };
}

/** The options, or the problem with the flags. */
async function toOptions(flags: ManifestsFlags, cwd: string): Promise<InstallOptions | string> {
  if (flags.webhookUrl !== undefined && flags.serviceName !== undefined)
    return '--webhook-url and --service-name are mutually exclusive';
  if (flags.webhookUrl !== undefined && !/^https:\/\/[^\s/]+/.test(flags.webhookUrl))
    return '--webhook-url must be an https:// URL (the apiserver calls webhooks over TLS only)';
  const port = flags.servicePort === undefined ? undefined : Number(flags.servicePort);
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535))
    return '--service-port must be a port number';
  const accounts = (flags.agentServiceAccount ?? []).map((t) => [t, parseServiceAccount(t)] as const);
  const bad = accounts.find(([, sa]) => sa === undefined);
  if (bad !== undefined) return `--agent-service-account ${bad[0]}: must be <namespace>/<serviceaccount>`;
  let caBundlePem: string | undefined;
  if (flags.caBundleFile !== undefined) {
    try {
      caBundlePem = await readFile(resolve(cwd, flags.caBundleFile), 'utf8');
    } catch (e: unknown) {
      return `--ca-bundle-file ${flags.caBundleFile}: ${(e as Error).message}`;
    }
    if (!caBundlePem.includes('-----BEGIN CERTIFICATE-----'))
      return `--ca-bundle-file ${flags.caBundleFile}: not a PEM certificate`;
  }
  const namespace = flags.namespace;
  const endpoint =
    flags.webhookUrl !== undefined
      ? { url: flags.webhookUrl }
      : flags.serviceName !== undefined || port !== undefined
        ? {
            service: {
              name: flags.serviceName ?? InstallNames.webhookService,
              namespace: namespace ?? InstallNames.namespace,
              ...(port === undefined ? {} : { port }),
            },
          }
        : undefined;
  return {
    ...(namespace === undefined ? {} : { namespace }),
    ...(endpoint === undefined ? {} : { webhookEndpoint: endpoint }),
    ...(caBundlePem === undefined ? {} : { caBundlePem }),
    ...(flags.secretNamespace === undefined ? {} : { secretNamespaces: flags.secretNamespace }),
    agentServiceAccounts: accounts.map(([, sa]) => sa as ServiceAccountRef),
    withoutCrds: !flags.crds,
  };
}

/**
 * `ignition-sync manifests`: prints what installs the operator as multi-document YAML (CRDs, Namespace, RBAC,
 * MutatingWebhookConfiguration), e.g. `ignition-sync manifests | kubectl apply -f -`. Exit 2 on bad flags.
 */
export const registerManifestsCommand: RegisterCommand = (program, ctx) => {
  program
    .command('manifests')
    .description(
      'print the YAML that installs the operator: CRDs, RBAC and the injection webhook configuration',
    )
    .option('--namespace <ns>', "the operator's namespace (default ignition-sync-system)")
    .option('--webhook-url <url>', 'the apiserver calls the admission webhook at this https:// URL')
    .option(
      '--service-name <name>',
      "the admission webhook's Service in the operator's namespace (default ignition-sync-webhook)",
    )
    .option('--service-port <port>', "that Service's port (default 443)")
    .option(
      '--ca-bundle-file <file>',
      "PEM CA of the webhook's serving certificate (default: none; let cert-manager inject it)",
    )
    .option(
      '--secret-namespace <ns>',
      'let the controller read Secrets only in this namespace (repeatable; default: all)',
      repeat,
    )
    .option(
      '--agent-service-account <ns/name>',
      "bind the agent's ClusterRole to this gateway ServiceAccount (repeatable)",
      repeat,
    )
    .option('--no-crds', 'leave out the CRDs')
    .action(async (flags: ManifestsFlags) => {
      const options = await toOptions(flags, ctx.io.cwd);
      if (typeof options === 'string') {
        ctx.io.stderr.write(`error: ${options}\n`);
        ctx.setExitCode(ExitCode.invalidInput);
        return;
      }
      ctx.io.stdout.write(renderManifests(buildInstallManifests(options)));
      ctx.setExitCode(ExitCode.ok);
    });
};
