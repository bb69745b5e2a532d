import { createHash } from 'node:crypto';
import { sleep } from '../client/backoff.ts';
import type { ScanKind, StatusPing } from '../gateway-types.ts';
import type { DataSnapshot } from './data-snapshot.ts';
import { type FaultRule, type FaultRuleInput, selectFault } from './fault-rules.ts';
import {
  formatGatewayGwInfo,
  formatGatewayInfo,
  formatStatusPing,
  type Lifecycle,
} from './gateway-identity.ts';
import {
  type GatewayWrite,
  type GatewayWriteRecord,
  planGatewayWrite,
  writeFiles,
} from './gateway-writes.ts';
import { loadFileTokens } from './load-file-tokens.ts';
import { ScanEngine } from './scan-engine.ts';
import type { SimToken } from './token-auth.ts';
import { Tripwires } from './tripwires.ts';

export type { Lifecycle };

export interface DesignerInput {
  readonly id?: string | undefined;
  readonly user: string;
  readonly project: string;
  readonly address?: string | undefined;
  /** Appear this many ms from now (immediately when absent). */
  readonly appearAfterMs?: number | undefined;
  /** Close this many ms after appearing (stays open when absent). */
  readonly closeAfterMs?: number | undefined;
}

export interface DesignerRecord {
  readonly id: string;
  readonly user: string;
  readonly project: string;
  readonly address: string;
  readonly openedAt: number;
}

export interface RequestLogEntry {
  readonly time: number;
  readonly method: string;
  readonly path: string;
  readonly tokenName: string | undefined;
  readonly status: number;
  readonly fault?: string;
}

export interface SimulatedGatewayOptions {
  readonly dataDir: string;
  readonly name: string;
  readonly ignitionVersion: string;
  readonly deploymentMode: string;
  readonly tokens: readonly SimToken[];
  readonly scanDurationMs: number;
  readonly projectScanFrequencyS: number;
  readonly scanLockSupported: boolean;
  readonly lifecycle: Lifecycle;
  readonly random: () => number;
}

/**
 * The simulated gateway without HTTP: lifecycle, tokens, designers, modes, scans and locks, faults, logs
 * and the gateway's own file writes. The HTTP adapters (gateway-routes, control-routes) only translate.
 */
export class SimulatedGateway {
  readonly options: SimulatedGatewayOptions;
  readonly scans: ScanEngine;
  readonly tripwires: Tripwires;
  /** path → hash of files the simulated gateway wrote itself. */
  readonly ownWrites = new Map<string, string>();
  readonly requests: RequestLogEntry[] = [];
  readonly gatewayWrites: GatewayWriteRecord[] = [];
  readonly faults: FaultRule[] = [];
  readonly createdModes = new Map<string, { name: string; title: string; description: string }>();
  lifecycle: Lifecycle;
  /** After a commissioning reset valid tokens get 403 until cleared. */
  commissioningReset = false;
  #fileTokens: SimToken[] = [];
  readonly #designers = new Map<string, DesignerRecord>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #closer = new AbortController();
  #nextDesigner = 1;
  #nextFault = 1;

  constructor(options: SimulatedGatewayOptions) {
    this.options = options;
    this.lifecycle = options.lifecycle;
    this.scans = new ScanEngine({
      dataDir: options.dataDir,
      now: Date.now,
      ownWrites: this.ownWrites,
      scanDurationMs: options.scanDurationMs,
      closed: this.#closer.signal,
      onSnapshot: (snap) => this.#onSnapshot(snap),
    });
    this.tripwires = new Tripwires(options.dataDir);
  }

  get closedSignal(): AbortSignal {
    return this.#closer.signal;
  }

  /** Loads the data dir as a gateway does at start, arms tripwires and starts periodic scans. */
  async start(): Promise<void> {
    await this.scans.reload();
    await this.tripwires.arm();
    const every = this.options.projectScanFrequencyS;
    if (every > 0) {
      const timer = setInterval(() => {
        if (this.lifecycle === 'running' && this.scans.getLock('projects') === undefined) {
          this.scans.requestScan('projects', 'periodic');
        }
      }, every * 1000);
      timer.unref();
      this.#timers.add(timer);
    }
  }

  tokens(): SimToken[] {
    const names = new Set(this.options.tokens.map((t) => t.name));
    return [...this.options.tokens, ...this.#fileTokens.filter((t) => !names.has(t.name))];
  }

  snapshot(kind: ScanKind): DataSnapshot | undefined {
    return this.scans.snapshot(kind);
  }

  modes(): { name: string; title: string; description: string; resourceCount: number }[] {
    const config = this.snapshot('config');
    const out = new Map<
      string,
      { name: string; title: string; description: string; resourceCount: number }
    >();
    for (const m of [...Object.values(config?.modes ?? {}), ...this.createdModes.values()]) {
      const resourceCount = Object.values(config?.resources ?? {}).filter(
        (r) => r.collection === m.name,
      ).length;
      out.set(m.name, { name: m.name, title: m.title, description: m.description, resourceCount });
    }
    return [...out.values()];
  }

  /** Appends to the request log, keeping the newest 10,000 entries. */
  logRequest(entry: RequestLogEntry): void {
    this.requests.push(entry);
    if (this.requests.length > 10_000) this.requests.splice(0, this.requests.length - 10_000);
  }

  designers(): DesignerRecord[] {
    return [...this.#designers.values()];
  }

  addDesigner(input: DesignerInput): string {
    const id = input.id ?? String(this.#nextDesigner++);
    const open = (): void => {
      this.#designers.set(id, {
        id,
        user: input.user,
        project: input.project,
        address: input.address ?? '127.0.0.1',
        openedAt: Date.now(),
      });
      if (input.closeAfterMs !== undefined) this.#later(input.closeAfterMs, () => this.#designers.delete(id));
    };
    if (input.appearAfterMs === undefined) open();
    else this.#later(input.appearAfterMs, open);
    return id;
  }

  removeDesigner(id: string): boolean {
    return this.#designers.delete(id);
  }

  addFault(input: FaultRuleInput): FaultRule {
    const rule: FaultRule = { ...input, id: `f${this.#nextFault++}`, hits: 0 };
    this.faults.push(rule);
    return rule;
  }

  clearFaults(id?: string): void {
    if (id === undefined) this.faults.length = 0;
    else this.faults.splice(0, this.faults.length, ...this.faults.filter((f) => f.id !== id));
  }

  pickFault(method: string, path: string): FaultRule | undefined {
    return selectFault(this.faults, method, path, this.options.random);
  }

  /**
   * Restart cycle: STARTING for `startingMs` (StatusPing STARTING, /data 503), then the snapshot is reloaded
   * from disk; the gateway comes back `running` or, with `commissioning`, in first-boot commissioning.
   * Resolves when the gateway is back.
   */
  async restart(options: { startingMs?: number; thenCommissioning?: boolean } = {}): Promise<void> {
    this.lifecycle = 'starting';
    this.#designers.clear();
    await sleep(options.startingMs ?? 2_000, this.#closer.signal);
    await this.scans.reload();
    this.lifecycle = options.thenCommissioning === true ? 'commissioning' : 'running';
  }

  /** Finishes commissioning; with `reset`, security-properties are rewritten and tokens get 403. */
  async completeCommissioning(options: { reset?: boolean } = {}): Promise<void> {
    if (options.reset === true) {
      this.commissioningReset = true;
      await this.gatewayWrite({
        type: 'ui-edit',
        resource: 'ignition/security-properties',
        config: {
          readPermissions: {
            type: 'AllOf',
            securityLevels: [
              {
                name: 'Authenticated',
                children: [{ name: 'Roles', children: [{ name: 'Administrator', children: [] }] }],
              },
            ],
          },
          writePermissions: {
            type: 'AllOf',
            securityLevels: [
              {
                name: 'Authenticated',
                children: [{ name: 'Roles', children: [{ name: 'Administrator', children: [] }] }],
              },
            ],
          },
        },
      });
    }
    this.lifecycle = 'running';
  }

  async gatewayWrite(write: GatewayWrite): Promise<GatewayWriteRecord> {
    const now = Date.now();
    const files = await planGatewayWrite(this.options.dataDir, write, now);
    for (const [p, content] of Object.entries(files)) this.ownWrites.set(p, contentHash(content));
    await writeFiles(this.options.dataDir, files);
    await this.tripwires.acceptOwnWrites(Object.keys(files));
    const record = { time: now, type: write.type, files };
    this.gatewayWrites.push(record);
    return record;
  }

  gwinfoText(): string {
    return formatGatewayGwInfo(this.options, this.lifecycle);
  }

  statusPing(): StatusPing {
    return formatStatusPing(this.lifecycle);
  }

  gatewayInfo(port: number): Record<string, unknown> {
    return formatGatewayInfo(this.options, port);
  }

  close(): void {
    this.#closer.abort(new Error('simulator closed'));
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  #later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    this.#timers.add(timer);
  }

  async #onSnapshot(snap: DataSnapshot): Promise<void> {
    if (snap.kind === 'config') this.#fileTokens = await loadFileTokens(this.options.dataDir);
  }
}

/** The hash the snapshot uses for a file's content (so own writes can be recognised in scans). */
function contentHash(content: string): string {
  return createHash('sha256').update(content).digest('hex').slice(0, 32);
}
