// The sync.ignition.io API. Import it only through this file.
// CRD generation has its own entry point, ./crds/index.ts (scripts/gen-crds.ts and tests), so that importers of
// the API do not load the generator.

export * from './manifests/index.ts';
export * from './v1alpha1/index.ts';
