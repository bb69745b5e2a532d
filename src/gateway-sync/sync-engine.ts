import {
  applyPreparedSync,
  type PreparedSync,
  prepareSync,
  type SyncInput,
  type SyncResult,
} from '../sync/index.ts';

/** The engine's two steps as the per-gateway sync uses them; a seam for tests that count plans. */
export interface SyncEngine {
  prepare(input: SyncInput): Promise<PreparedSync>;
  apply(prepared: PreparedSync): Promise<SyncResult>;
}

export const SYNC_ENGINE: SyncEngine = { prepare: prepareSync, apply: applyPreparedSync };
