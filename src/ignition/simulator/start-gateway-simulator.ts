import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '../../observability/index.ts';
import { createControlHandler } from './control-routes.ts';
import { createGatewayHandler } from './gateway-routes.ts';
import { generateTestCertificates, type TestCertificates } from './generate-test-certificates.ts';
import { seedDataDir } from './seed-data-dir.ts';
import { type Lifecycle, SimulatedGateway } from './simulated-gateway.ts';
import { parseTokenSpec, type SimToken } from './token-auth.ts';

export interface SimTokenInput {
  readonly name: string;
  readonly secret: string;
  readonly grant?: 'read' | 'write';
  readonly secureChannelRequired?: boolean;
}

export interface GatewaySimulatorOptions {
  /** A real data directory (section 2 layout). Seeded with gateway-owned files when missing or empty. */
  readonly dataDir: string;
  readonly host?: string;
  /** Gateway port (default 0: any free port). */
  readonly port?: number;
  /** Control port (default 0). */
  readonly controlPort?: number;
  /** `name:secret[:read|write]` strings or objects. Tokens in the data dir's api-token resources also work. */
  readonly tokens?: readonly (string | SimTokenInput)[];
  /** `true`: a generated test CA + certificate (see `caCertPem`); or your own PEMs. */
  readonly tls?: boolean | { readonly certPem: string; readonly keyPem: string; readonly caCertPem?: string };
  readonly name?: string;
  readonly ignitionVersion?: string;
  /** Active deployment mode reported by gateway-info (`''` = none). */
  readonly deploymentMode?: string;
  /** How long each scan takes (default 50 ms). */
  readonly scanDurationMs?: number;
  /** Periodic project scan interval in seconds (default 0 = off). Config is never scanned periodically. */
  readonly projectScanFrequencyS?: number;
  /** `false` models a gateway without the scan-lock route (404). */
  readonly scanLockSupported?: boolean;
  readonly lifecycle?: Lifecycle;
  /** Seed an empty data dir (default true). */
  readonly seed?: boolean;
  /** Randomness for probabilistic faults (default Math.random). */
  readonly random?: () => number;
  readonly logger?: Logger;
}

export interface GatewaySimulator {
  /** Gateway base URL (`http://127.0.0.1:P` or `https://localhost:P`). */
  readonly url: string;
  readonly controlUrl: string;
  readonly port: number;
  readonly controlPort: number;
  readonly dataDir: string;
  /** The CA to trust when `tls` is on. */
  readonly caCertPem: string | undefined;
  /** In-process access to the simulated gateway's state (the control port serves the same). */
  readonly gateway: SimulatedGateway;
  /** Stops/starts the gateway listener: connection refused while stopped. */
  setListening(running: boolean): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts an in-process Ignition 8.3 gateway simulator over a real data dir: the gateway routes on one port,
 * test control routes on another. Idle cost: two listening sockets; no timers, no watchers unless
 * periodic project scans are on (write evidence comes from file mtimes, read at scan time).
 */
export async function startGatewaySimulator(options: GatewaySimulatorOptions): Promise<GatewaySimulator> {
  const name = options.name ?? 'ignition-sim';
  if (options.seed !== false) await seedDataDir(options.dataDir, name);
  const certs: TestCertificates | undefined =
    options.tls === true
      ? await generateTestCertificates()
      : options.tls
        ? { certPem: options.tls.certPem, keyPem: options.tls.keyPem, caCertPem: options.tls.caCertPem ?? '' }
        : undefined;
  const gateway = new SimulatedGateway({
    dataDir: options.dataDir,
    name,
    ignitionVersion: options.ignitionVersion ?? '8.3.6 (b2026042713)',
    deploymentMode: options.deploymentMode ?? '',
    tokens: (options.tokens ?? []).map(toSimToken),
    scanDurationMs: options.scanDurationMs ?? 50,
    projectScanFrequencyS: options.projectScanFrequencyS ?? 0,
    scanLockSupported: options.scanLockSupported ?? true,
    lifecycle: options.lifecycle ?? 'running',
    random: options.random ?? Math.random,
  });
  await gateway.start();
  const host = options.host ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  let port = options.port ?? 0;
  const handler = createGatewayHandler(gateway, { isSecure: certs !== undefined, port: () => port });
  const server: Server =
    certs === undefined
      ? createHttpServer(handler)
      : createHttpsServer({ cert: certs.certPem, key: certs.keyPem }, handler);
  // The raw TCP socket (also under TLS): destroying it ends hung requests and half-done handshakes.
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => {
      sockets.delete(s);
    });
  });
  let listening = false;
  const setListening = async (running: boolean): Promise<void> => {
    if (running === listening) return;
    if (running) {
      await listen(server, port, host);
      port = (server.address() as AddressInfo).port;
      listening = true;
      return;
    }
    listening = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.destroy();
    server.closeAllConnections();
    await closed;
  };
  await setListening(true);
  const control = createHttpServer(
    createControlHandler(gateway, { setListening, isListening: () => listening }),
  );
  await listen(control, options.controlPort ?? 0, host);
  const controlPort = (control.address() as AddressInfo).port;
  const urlHost = certs === undefined ? host : host === '127.0.0.1' ? 'localhost' : host;
  options.logger?.info(
    { port, controlPort, dataDir: options.dataDir, tls: certs !== undefined },
    'gateway simulator started',
  );
  return {
    url: `${certs === undefined ? 'http' : 'https'}://${urlHost}:${port}`,
    controlUrl: `http://${host}:${controlPort}`,
    port,
    controlPort,
    dataDir: options.dataDir,
    caCertPem: certs?.caCertPem,
    gateway,
    setListening,
    close: async () => {
      gateway.close();
      await setListening(false);
      await new Promise<void>((resolve) => {
        control.close(() => resolve());
        control.closeAllConnections();
      });
    },
  };
}

function toSimToken(input: string | SimTokenInput): SimToken {
  if (typeof input === 'string') return parseTokenSpec(input);
  const base = parseTokenSpec(`${input.name}:${input.secret}:${input.grant ?? 'write'}`);
  return { ...base, secureChannelRequired: input.secureChannelRequired === true };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
