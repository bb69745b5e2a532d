import type { ScanKind, ScanLock } from '../gateway-types.ts';
import type { DataSnapshot } from './data-snapshot.ts';
import type { FaultRule, FaultRuleInput } from './fault-rules.ts';
import type { GatewayWrite, GatewayWriteRecord } from './gateway-writes.ts';
import type { ScanLogEntry } from './scan-engine.ts';
import type { DesignerInput, Lifecycle, RequestLogEntry } from './simulated-gateway.ts';
import type { TripwireReport } from './tripwires.ts';
import type { WriteEvidence } from './write-evidence.ts';

export interface SimulatorState {
  readonly lifecycle: Lifecycle;
  readonly listening: boolean;
  readonly commissioningReset: boolean;
  readonly deploymentMode: string;
  readonly modes: readonly { name: string; title: string; description: string; resourceCount: number }[];
  readonly tokens: readonly { name: string; grant: string; secureChannelRequired: boolean; source: string }[];
  readonly designers: readonly { id: string; user: string; project: string }[];
  readonly locks: Readonly<Record<ScanKind, ScanLock | null>>;
  readonly scans: Readonly<
    Record<ScanKind, { scanActive: boolean; lastScanTimestamp: number; lastScanDuration: number }>
  >;
  readonly scanDurationMs: number;
}

/**
 * Typed client of a simulator's control port (over HTTP, so it works for a `gateway-sim` process as well as
 * an in-process simulator). Used by tests, the standalone e2e and the benchmarks.
 */
export class SimulatorControlClient {
  readonly #base: string;

  constructor(controlUrl: string) {
    this.#base = `${controlUrl.replace(/\/+$/, '')}/control`;
  }

  state(): Promise<SimulatorState> {
    return this.#call('GET', 'state');
  }
  requests(): Promise<RequestLogEntry[]> {
    return this.#call('GET', 'requests');
  }
  clearRequests(): Promise<unknown> {
    return this.#call('DELETE', 'requests');
  }
  scans(): Promise<ScanLogEntry[]> {
    return this.#call('GET', 'scans');
  }
  clearScans(): Promise<unknown> {
    return this.#call('DELETE', 'scans');
  }
  /** Triggers a scan as the gateway's own scheduler would (no lock release). */
  triggerScan(kind: ScanKind): Promise<unknown> {
    return this.#call('POST', `scans/${kind}`);
  }
  /** Files written since the last scan of their kind, with the locks held when each was written. */
  pendingWrites(): Promise<WriteEvidence[]> {
    return this.#call('GET', 'writes');
  }
  snapshot(kind: ScanKind): Promise<DataSnapshot | null> {
    return this.#call('GET', `snapshot/${kind}`);
  }
  tripwires(): Promise<TripwireReport> {
    return this.#call('GET', 'tripwires');
  }
  gatewayWrites(): Promise<GatewayWriteRecord[]> {
    return this.#call('GET', 'gateway-writes');
  }
  gatewayWrite(write: GatewayWrite): Promise<GatewayWriteRecord> {
    return this.#call('POST', 'gateway-writes', write);
  }
  addFault(rule: FaultRuleInput): Promise<FaultRule> {
    return this.#call('POST', 'faults', rule);
  }
  faults(): Promise<FaultRule[]> {
    return this.#call('GET', 'faults');
  }
  clearFaults(id?: string): Promise<unknown> {
    return this.#call('DELETE', id === undefined ? 'faults' : `faults/${id}`);
  }
  addDesigner(designer: DesignerInput): Promise<{ id: string }> {
    return this.#call('POST', 'designers', designer);
  }
  removeDesigner(id: string): Promise<unknown> {
    return this.#call('DELETE', `designers/${encodeURIComponent(id)}`);
  }
  setLifecycle(state: Lifecycle): Promise<unknown> {
    return this.#call('POST', 'lifecycle', { state });
  }
  /** Starts a restart cycle (returns at once; StatusPing says STARTING for `startingMs`). */
  restart(options: { startingMs?: number; thenCommissioning?: boolean } = {}): Promise<unknown> {
    return this.#call('POST', 'restart', options);
  }
  completeCommissioning(options: { reset?: boolean } = {}): Promise<unknown> {
    return this.#call('POST', 'commission', options);
  }
  clearCommissioningReset(): Promise<unknown> {
    return this.#call('DELETE', 'commissioning-reset');
  }
  setListening(running: boolean): Promise<unknown> {
    return this.#call('POST', 'listener', { running });
  }
  setScanBehaviour(b: { durationMs?: number; stuck?: boolean }): Promise<unknown> {
    return this.#call('POST', 'scan-behaviour', b);
  }
  /** Holds a scan lock as another actor (for 408/409 scenarios). */
  holdLock(kind: ScanKind, actor = 'other-actor', holdTimeoutS = 60): Promise<unknown> {
    return this.#call('POST', `locks/${kind}`, { actor, holdTimeoutS });
  }
  releaseLock(kind: ScanKind): Promise<unknown> {
    return this.#call('DELETE', `locks/${kind}`);
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.#base}/${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const json: unknown = await res.json();
    if (!res.ok)
      throw new Error(`simulator control ${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json as T;
  }
}
