import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { GatewayClient, type GatewayClientOptions } from '../../../src/ignition/index.ts';
import {
  type GatewaySimulator,
  type GatewaySimulatorOptions,
  SimulatorControlClient,
  startGatewaySimulator,
} from '../../../src/ignition/simulator/index.ts';

export const WRITER_TOKEN = 'sync-agent:c3luYy1zZWNyZXQtdmFsdWU';
export const READER_TOKEN = 'viewer:dmlld2VyLXNlY3JldA';

export interface SimFixture {
  readonly root: string;
  readonly sim: GatewaySimulator;
  readonly control: SimulatorControlClient;
  readonly dataDir: string;
  readonly writerTokenFile: string;
  readonly readerTokenFile: string;
  /** Writes a token file with this content and returns its path. */
  tokenFile(value: string): Promise<string>;
  /** A client for the simulator with fast retries; options override. */
  client(options?: Partial<GatewayClientOptions>): GatewayClient;
  /** Writes files into the data dir (posix relative paths). */
  write(files: Readonly<Record<string, string>>): Promise<void>;
  close(): Promise<void>;
}

/** Starts a simulator over a fresh temp data dir with a writer and a reader token. */
export async function startSimFixture(options: Partial<GatewaySimulatorOptions> = {}): Promise<SimFixture> {
  const root = await mkdtemp(join(tmpdir(), 'igs-ignition-'));
  const dataDir = join(root, 'data');
  if (options.dataDir === undefined) await mkdir(dataDir, { recursive: true });
  const sim = await startGatewaySimulator({
    dataDir,
    tokens: [`${WRITER_TOKEN}:write`, `${READER_TOKEN}:read`],
    scanDurationMs: 30,
    ...options,
  });
  let n = 0;
  const tokenFile = async (value: string): Promise<string> => {
    const file = join(root, `token-${n++}`);
    await writeFile(file, `${value}\n`);
    return file;
  };
  const writerTokenFile = await tokenFile(WRITER_TOKEN);
  const readerTokenFile = await tokenFile(READER_TOKEN);
  const clients: GatewayClient[] = [];
  return {
    root,
    sim,
    control: new SimulatorControlClient(sim.controlUrl),
    dataDir: sim.dataDir,
    writerTokenFile,
    readerTokenFile,
    tokenFile,
    client: (o = {}) => {
      const c = new GatewayClient({
        url: sim.url,
        tokenFile: writerTokenFile,
        timeoutMs: 2_000,
        backoff: { attempts: 3, baseMs: 20, maxMs: 100 },
        ...o,
      });
      clients.push(c);
      return c;
    },
    write: async (files) => {
      for (const [rel, content] of Object.entries(files)) {
        await mkdir(dirname(join(sim.dataDir, rel)), { recursive: true });
        await writeFile(join(sim.dataDir, rel), content);
      }
    },
    close: async () => {
      await Promise.all(clients.map((c) => c.close()));
      await sim.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export const resourceJson = (files: string[]): string =>
  `${JSON.stringify({ scope: 'A', version: 1, restricted: false, overridable: true, files, attributes: {} })}\n`;

/**
 * One simulator per test, closed after each test (also when it fails). Returns the starter; `defaults`
 * apply under each test's own options.
 */
export function useSimFixture(
  defaults: Partial<GatewaySimulatorOptions> = {},
): (options?: Partial<GatewaySimulatorOptions>) => Promise<SimFixture> {
  let current: SimFixture | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (options = {}) => {
    current = await startSimFixture({ ...defaults, ...options });
    return current;
  };
}
