import type { ControlPlaneConnection } from './control-plane.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared control plane started by the integration globalSetup. */
    kube: ControlPlaneConnection;
    /** Folder with the kube-apiserver and etcd binaries (for tests that start a private control plane). */
    kubeBinDir: string;
    /** CRDs the apiserver rejected at setup: name → server message (tests of those kinds fail with it). */
    kubeCrdErrors: Record<string, string>;
  }
}
