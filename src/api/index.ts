// The sync.ignition.io API. Import it only through this file.

export * from './crds/index.ts';
export * from './manifests/index.ts';
export * from './v1alpha1/index.ts';
