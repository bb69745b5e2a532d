import { defineConfig } from 'vitest/config';

// Test tiers (docs: README "Testing"). `npm test` runs every project.
// - unit:        pure modules, tests beside the code (src/**/x.test.ts)
// - component:   real git, real filesystems, the gateway simulator, servers on 127.0.0.1:0
// - integration: a real kube-apiserver + etcd built from Go modules (see testenv/)
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
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
    ],
  },
});
