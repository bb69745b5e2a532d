import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { Agent, fetch } from 'undici';
import { freePort } from '../net.ts';
import { createServiceAccountKeys, createTestCa, issueServingCert, type TestCa } from './certs.ts';

/** Everything a test (in another worker process) needs to reach the control plane; plain JSON. */
export interface ControlPlaneConnection {
  readonly server: string;
  readonly token: string;
  readonly caPem: string;
  /** Test CA files, to sign webhook serving certs the apiserver trusts. */
  readonly caCertFile: string;
  readonly caKeyFile: string;
  readonly etcdUrl: string;
  readonly version: string;
}

export interface ControlPlane {
  readonly connection: ControlPlaneConnection;
  readonly kubeConfig: KubeConfig;
  readonly dir: string;
  /** SIGTERM (then SIGKILL after 3 s) the apiserver only; etcd keeps the data. */
  stopApiServer(): Promise<void>;
  /** Starts the apiserver again on the same port and data and waits until it is ready. */
  startApiServer(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartControlPlaneOptions {
  /** Folder with `kube-apiserver` and `etcd` (testenv/build.sh prints it). */
  readonly binDir: string;
  /** Per-process readiness timeout. Default 90 s (2 shared cores). */
  readonly readyTimeoutMs?: number;
  /** Keep the temp dir (logs, certs) after stop, for debugging. */
  readonly keepDir?: boolean;
}

/** A client-node KubeConfig for a connection (bearer token, our CA). */
export function kubeConfigFor(conn: ControlPlaneConnection): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'test',
        server: conn.server,
        caData: Buffer.from(conn.caPem).toString('base64'),
        skipTLSVerify: false,
      },
    ],
    users: [{ name: 'admin', token: conn.token }],
    contexts: [{ name: 'test', cluster: 'test', user: 'admin' }],
    currentContext: 'test',
  });
  return kc;
}

interface Proc {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  readonly logFile: string;
}

const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

async function startProcess(bin: string, args: string[], logFile: string): Promise<Proc> {
  const fd = openSync(logFile, 'a');
  const child = spawn(bin, args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  liveChildren.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      liveChildren.delete(child);
      resolve();
    });
    child.once('error', () => resolve());
  });
  return { child, exited, logFile };
}

async function stopProcess(proc: Proc | undefined, graceMs = 10_000): Promise<void> {
  if (proc === undefined || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
}

async function logTail(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').slice(-25).join('\n');
}

/** Polls `probe` until it returns true, the process dies, or the deadline passes. */
async function waitReady(
  what: string,
  proc: Proc,
  probe: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`${what} exited during startup:\n${await logTail(proc.logFile)}`);
    }
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline)
      throw new Error(`${what} not ready after ${timeoutMs} ms:\n${await logTail(proc.logFile)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface Layout {
  readonly dir: string;
  readonly ca: TestCa;
  readonly serving: { certFile: string; keyFile: string };
  readonly sa: { keyFile: string; pubFile: string };
  readonly tokensFile: string;
  readonly token: string;
}

async function prepare(): Promise<Layout> {
  const dir = await mkdtemp(join(tmpdir(), 'ignition-sync-kube-'));
  const pki = join(dir, 'pki');
  await mkdir(pki);
  const ca = await createTestCa(pki);
  const [serving, sa] = await Promise.all([
    issueServingCert(ca, pki, 'apiserver'),
    createServiceAccountKeys(pki),
  ]);
  const token = randomBytes(24).toString('hex');
  const tokensFile = join(dir, 'tokens.csv');
  await writeFile(tokensFile, `${token},admin,admin-uid,"system:masters"\n`, { mode: 0o600 });
  return { dir, ca, serving, sa, tokensFile, token };
}

function apiServerArgs(l: Layout, etcdPort: number, apiPort: number): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${etcdPort}`,
    `--cert-dir=${join(l.dir, 'pki')}`,
    `--secure-port=${apiPort}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    '--service-cluster-ip-range=10.0.0.0/24',
    '--allow-privileged=true',
    '--disable-admission-plugins=ServiceAccount',
    '--authorization-mode=RBAC',
    `--service-account-issuer=https://127.0.0.1:${apiPort}/`,
    `--service-account-key-file=${l.sa.pubFile}`,
    `--service-account-signing-key-file=${l.sa.keyFile}`,
    '--endpoint-reconciler-type=none',
    `--tls-cert-file=${l.serving.certFile}`,
    `--tls-private-key-file=${l.serving.keyFile}`,
    `--token-auth-file=${l.tokensFile}`,
    '--enable-priority-and-fairness=false',
    '--profiling=false',
    '--v=1',
  ];
}

/**
 * Starts etcd and kube-apiserver (built by testenv/build.sh) on free loopback ports with a fresh CA, serving
 * cert, service-account keys and a system:masters bearer token; waits for etcd /health, apiserver /readyz and
 * the default namespace. Stop it with `stop()` (SIGTERM, then SIGKILL after 10 s).
 */
export async function startControlPlane(options: StartControlPlaneOptions): Promise<ControlPlane> {
  const timeoutMs = options.readyTimeoutMs ?? 90_000;
  const l = await prepare();
  const [etcdPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  const server = `https://127.0.0.1:${apiPort}`;
  const tls = new Agent({ connect: { ca: l.ca.certPem } });
  const etcd = await startProcess(
    join(options.binDir, 'etcd'),
    [
      '--name=t',
      `--data-dir=${join(l.dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=t=http://127.0.0.1:${peerPort}`,
      '--unsafe-no-fsync=true',
      '--log-level=warn',
    ],
    join(l.dir, 'etcd.log'),
  );
  let apiserver: Proc | undefined;
  // kube-apiserver 1.37 stops listening within milliseconds of SIGTERM but then can hang until killed while a
  // watch connection is open (seen: 10 s); it keeps no state outside etcd, so a short grace is safe.
  const stopApiServer = (): Promise<void> => stopProcess(apiserver, 3000);
  const stopAll = async (): Promise<void> => {
    await stopApiServer();
    await stopProcess(etcd);
    await tls.close();
    if (options.keepDir !== true) await rm(l.dir, { recursive: true, force: true });
  };
  const startApiServer = async (): Promise<void> => {
    apiserver = await startProcess(
      join(options.binDir, 'kube-apiserver'),
      apiServerArgs(l, etcdPort, apiPort),
      join(l.dir, 'apiserver.log'),
    );
    const auth = { authorization: `Bearer ${l.token}` };
    const proc = apiserver;
    await waitReady(
      'kube-apiserver',
      proc,
      async () => (await fetch(`${server}/readyz`, { headers: auth, dispatcher: tls })).status === 200,
      timeoutMs,
    );
    await waitReady(
      'kube-apiserver bootstrap',
      proc,
      async () =>
        (await fetch(`${server}/api/v1/namespaces/default`, { headers: auth, dispatcher: tls })).status ===
        200,
      timeoutMs,
    );
  };
  try {
    await waitReady(
      'etcd',
      etcd,
      async () => (await (await fetch(`${etcdUrl}/health`)).text()).includes('"health":"true"'),
      timeoutMs,
    );
    await startApiServer();
  } catch (e: unknown) {
    await stopAll();
    throw e;
  }
  const version = await fetch(`${server}/version`, {
    headers: { authorization: `Bearer ${l.token}` },
    dispatcher: tls,
  })
    .then((r) => r.json() as Promise<{ gitVersion?: string }>)
    .then((v) => v.gitVersion ?? 'unknown');
  const connection: ControlPlaneConnection = {
    server,
    token: l.token,
    caPem: l.ca.certPem,
    caCertFile: l.ca.certFile,
    caKeyFile: l.ca.keyFile,
    etcdUrl,
    version,
  };
  return {
    connection,
    kubeConfig: kubeConfigFor(connection),
    dir: l.dir,
    stopApiServer,
    startApiServer,
    stop: stopAll,
  };
}
