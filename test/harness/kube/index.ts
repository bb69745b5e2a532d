// Test harness for a real kube-apiserver + etcd (see testenv/README.md).

export { waitFor } from '../wait-for.ts';
export { BUILD_SCRIPT, ensureControlPlaneBinaries } from './build.ts';
export { createServiceAccountKeys, createTestCa, issueServingCert, type TestCa } from './certs.ts';
export {
  type ControlPlane,
  type ControlPlaneConnection,
  kubeConfigFor,
  type StartControlPlaneOptions,
  startControlPlane,
} from './control-plane.ts';
export { type CrdInstallResult, installCrds, loadCrds } from './crds.ts';
export { FakeClock, flushAsync } from './fake-clock.ts';
export { type Candidate, type CandidateEvent, spawnCandidate } from './leader-candidates.ts';
export { createTestNamespace } from './namespaces.ts';

import './provided-context.ts';
