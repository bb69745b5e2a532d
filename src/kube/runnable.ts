/**
 * A long-running component (controller-runtime `Runnable`): `start` resolves only once `signal` aborted and the
 * component stopped. Controllers need leadership; webhook servers and informers run on every replica.
 */
export interface Runnable {
  readonly name: string;
  readonly needsLeader: boolean;
  start(signal: AbortSignal): Promise<void>;
}
