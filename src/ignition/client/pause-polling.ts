import { OperatorError } from '../../errors.ts';
import { GatewayReasons } from '../../reasons/index.ts';
import { sleep } from './backoff.ts';

/** Waits between polls; an abort becomes `SyncCancelled` (waiting) naming what was being waited for. */
export async function pausePolling(
  ms: number,
  signal: AbortSignal | undefined,
  waitingFor: string,
): Promise<void> {
  try {
    await sleep(ms, signal);
  } catch (e: unknown) {
    throw new OperatorError(GatewayReasons.SyncCancelled, `waiting for ${waitingFor}: cancelled`, {
      kind: 'waiting',
      cause: e,
    });
  }
}
