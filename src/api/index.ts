// The sync.ignition.io API. Import it only through this file.
export * from './v1alpha1/index.ts';
