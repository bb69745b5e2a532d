/**
 * Input shapes of the engine. They structurally match the `sync.ignition.io/v1alpha1` types (SyncProfile
 * mappings, deploymentMode, excludePatterns) and the git layer's `Change`, so callers can pass those objects
 * directly without this folder importing either component.
 */

export type MappingType = 'dir' | 'file';

export interface SyncMappingInput {
  readonly source: string;
  readonly destination: string;
  /** Default `dir`. */
  readonly type?: MappingType | undefined;
  /** Default `false`: a missing optional source is skipped and reported. */
  readonly required?: boolean | undefined;
}

export interface DeploymentModeInput {
  readonly name: string;
  readonly source: string;
}

/** A SyncProfile's routing: ordered mappings, optional deployment mode, extra excludes. */
export interface MappingsProfileInput {
  readonly mappings: readonly SyncMappingInput[];
  readonly deploymentMode?: DeploymentModeInput | undefined;
  readonly excludePatterns?: readonly string[] | undefined;
}

/** 2-tier mode (`ignition-sync.io/service-path`): the repo directory that mirrors the data directory. */
export interface ServicePathProfileInput {
  readonly servicePath: string;
  readonly excludePatterns?: readonly string[] | undefined;
}

export type SyncProfileInput = MappingsProfileInput | ServicePathProfileInput;

/** One line of `git diff --name-status` between the applied commit and the target commit. */
export interface SourceChange {
  readonly status: 'A' | 'M' | 'D' | 'R' | 'T' | 'C';
  readonly path: string;
  /** Set for renames and copies. */
  readonly oldPath?: string | undefined;
}

export function isServicePathProfile(profile: SyncProfileInput): profile is ServicePathProfileInput {
  return 'servicePath' in profile && typeof profile.servicePath === 'string';
}
