import { defineConfig } from 'vitest/config';

// Test tiers (docs/architecture.md, section "Test tiers"). `npm test` runs every project, after
// scripts/test-prereqs.ts has checked the machine and built the control plane.
// - unit:        pure modules, tests beside the code (src/**/x.test.ts)
// - component:   real git, real filesystems, the gateway simulator, servers on 127.0.0.1:0
// - integration: a real kube-apiserver + etcd built from Go modules (see testenv/)
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'component',
          include: ['test/component/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Builds the control plane if needed (testenv/build.sh) and starts ONE etcd + kube-apiserver per run;
          // tests get the connection with inject('kube').
          globalSetup: ['test/harness/kube/global-setup.ts'],
          // One file at a time: the apiserver, etcd and the tests share 2 cores with everything else.
          fileParallelism: false,
          // After unit and component tests, so the control plane never competes with them for CPU.
          sequence: { groupOrder: 1 },
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
