// Public API of the `npm start` demo (src/bin/demo.ts): it runs gateway simulators, so it has its own entry
// point, kept out of the production barrel (../index.ts). Import it only from bin, cli and tests.
export { renderDemoBanner } from './demo-banner.ts';
export { runDemoGit } from './demo-git.ts';
export { DEMO_INITIAL_TAG, prepareDemoState, renderDemoConfig } from './prepare-demo-state.ts';
export { type DemoReady, type RunDemoOptions, runDemo } from './run-demo.ts';
