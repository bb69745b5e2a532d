import type { Failure } from './compute-status.ts';

/** What changes the answer of a resolve: anything else (pod, report, profile events) reuses the last one. */
export interface ResolveInputs {
  readonly repo: string;
  readonly ref: string;
  readonly generation: number;
  /** The webhook's `requested-at`: a push to the followed branch asks for a fresh resolve. */
  readonly requestedAt: string | undefined;
}

export type ResolveAnswer =
  | { readonly kind: 'resolved'; readonly ref: string; readonly commit: string }
  | { readonly kind: 'failed'; readonly ref: string; readonly failure: Failure };

interface Entry {
  readonly inputs: ResolveInputs;
  readonly answer: ResolveAnswer;
  readonly atMs: number;
}

/** A failed resolve is reused this long, so a burst of pod events does not hammer a failing git server. */
const FAILURE_REUSE_MS = 5_000;
/** A poll requeued after `interval` must resolve again even when its timer fired a little early. */
const POLL_SLACK_MS = 1_000;

function sameInputs(a: ResolveInputs, b: ResolveInputs): boolean {
  return (
    a.repo === b.repo && a.ref === b.ref && a.generation === b.generation && a.requestedAt === b.requestedAt
  );
}

/**
 * One `git ls-remote` per IgnitionSync per polling interval, whatever the number of events: a reconcile
 * triggered by a pod, a report or a profile reuses the last answer unless the inputs changed (spec, requested
 * ref, a webhook poke) or the answer is older than the polling interval.
 */
export class ResolutionCache {
  readonly #entries = new Map<string, Entry>();

  /** The reusable answer for `key`, or undefined when git must be asked. */
  get(
    key: string,
    inputs: ResolveInputs,
    nowMs: number,
    intervalMs: number | undefined,
  ): ResolveAnswer | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined || !sameInputs(entry.inputs, inputs)) return undefined;
    const age = nowMs - entry.atMs;
    if (entry.answer.kind === 'failed') return age < FAILURE_REUSE_MS ? entry.answer : undefined;
    if (intervalMs === undefined) return entry.answer;
    return age + POLL_SLACK_MS < intervalMs ? entry.answer : undefined;
  }

  set(key: string, inputs: ResolveInputs, answer: ResolveAnswer, nowMs: number): void {
    this.#entries.set(key, { inputs, answer, atMs: nowMs });
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }
}
