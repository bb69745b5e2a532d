import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../wait-for.ts';
import type { LeaderCandidateConfig } from './leader-candidate.ts';

const SCRIPT = fileURLToPath(new URL('./leader-candidate.ts', import.meta.url));

export interface CandidateEvent {
  readonly event:
    | 'campaigning'
    | 'started-leading'
    | 'controller-started'
    | 'controller-stopped'
    | 'stopped-leading';
  readonly identity: string;
  readonly at: number;
}

/** A running leader-candidate child process and what it reported. */
export interface Candidate {
  readonly identity: string;
  readonly events: CandidateEvent[];
  readonly child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** Waits for the first `event` reported at or after `since`. */
  waitForEvent(
    event: CandidateEvent['event'],
    options?: { since?: number; timeoutMs?: number },
  ): Promise<CandidateEvent>;
  stderr(): string;
}

/** Starts `test/harness/kube/leader-candidate.ts` in a separate Node process (two processes really compete). */
export function spawnCandidate(config: LeaderCandidateConfig): Candidate {
  const child = spawn(process.execPath, [SCRIPT], {
    env: { ...process.env, LEADER_CANDIDATE_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: CandidateEvent[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-8000);
  });
  if (child.stdout !== null) {
    createInterface(child.stdout).on('line', (line) => {
      try {
        events.push(JSON.parse(line) as CandidateEvent);
      } catch {
        // not ours
      }
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    identity: config.identity,
    events,
    child,
    exited,
    stderr: () => stderr,
    waitForEvent: (event, options = {}) =>
      waitFor(
        `${config.identity} ${event} (stderr: ${stderr.slice(-500)})`,
        () => events.find((e) => e.event === event && e.at >= (options.since ?? 0)),
        { timeoutMs: options.timeoutMs ?? 30_000, intervalMs: 20 },
      ),
  };
}
