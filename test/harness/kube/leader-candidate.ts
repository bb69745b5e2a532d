// A leader-election candidate process for the integration tests: `node leader-candidate.ts` with its
// configuration in the LEADER_CANDIDATE_CONFIG environment variable (JSON). It runs a Manager with leader
// election and one Controller, which runs only while this process leads; it prints one JSON line per state change to stdout:
//   {"event":"started-leading"|"controller-started"|"controller-stopped"|"stopped-leading","identity":..,"at":ms}
// It exits 0 after SIGTERM (releasing the Lease) and 1 when it loses leadership (as the real controller does).
import { Controller, KubeClient, Manager, type Runnable } from '../../../src/kube/index.ts';
import { createLogger } from '../../../src/observability/index.ts';
import type { ControlPlaneConnection } from './control-plane.ts';
import { kubeConfigFor } from './control-plane.ts';

export interface LeaderCandidateConfig {
  readonly connection: ControlPlaneConnection;
  readonly namespace: string;
  readonly leaseName: string;
  readonly identity: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
}

function report(event: string, identity: string): void {
  process.stdout.write(`${JSON.stringify({ event, identity, at: Date.now() })}\n`);
}

async function main(): Promise<number> {
  const config = JSON.parse(process.env.LEADER_CANDIDATE_CONFIG ?? '{}') as LeaderCandidateConfig;
  const logger = createLogger({ level: 'warn', destination: process.stderr });
  const client = new KubeClient(kubeConfigFor(config.connection));
  const stop = new AbortController();
  process.once('SIGTERM', () => stop.abort());
  const controller = new Controller({ name: 'candidate', logger, reconcile: async () => undefined });
  // Reports around the controller, which the Manager starts only while this process leads.
  const reported: Runnable = {
    name: 'reported-controller',
    needsLeader: true,
    start: async (signal) => {
      report('started-leading', config.identity);
      report('controller-started', config.identity);
      await controller.start(signal);
      report('controller-stopped', config.identity);
    },
  };
  const manager = new Manager({
    logger,
    leaderElection: {
      client,
      namespace: config.namespace,
      name: config.leaseName,
      identity: config.identity,
      leaseDurationMs: config.leaseDurationMs,
      renewDeadlineMs: config.renewDeadlineMs,
      retryPeriodMs: config.retryPeriodMs,
    },
  }).add(reported);
  report('campaigning', config.identity);
  try {
    await manager.start(stop.signal);
    return 0;
  } catch (e: unknown) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    report('stopped-leading', config.identity);
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(2);
  },
);
