/** What the generator knows about one file: enough to render its bytes deterministically. */
export type FileKind =
  | 'project-json'
  | 'resource-json'
  | 'view-json'
  | 'thumbnail-png'
  | 'code-py'
  | 'query-sql'
  | 'style-json'
  | 'props-json'
  | 'window-bin'
  | 'config-json'
  | 'theme-css'
  | 'driver-jar'
  | 'config-mode-json';

export interface FileSpec {
  readonly kind: FileKind;
  /** Seed of the content, fixed when the file is created (a renamed file keeps its bytes). */
  readonly contentSeed: number;
  /** Revision: every modification bumps it, which changes the bytes. */
  readonly rev: number;
  /** For resource.json: the payload file names listed in `files[]`. */
  readonly files?: readonly string[];
}

/** A repository snapshot: repo-relative POSIX path → file spec, plus the project folder names. */
export interface RepoTree {
  readonly files: Map<string, FileSpec>;
  readonly projects: readonly string[];
}

/** Paths of the mapping roots the benchmark syncs (repo path = data-dir path). */
export const MAPPING_ROOTS = ['projects', 'config/resources/core'] as const;
