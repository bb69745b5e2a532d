import { createHash } from 'node:crypto';
import { OperatorError } from '../errors.ts';
import { SyncReasons } from '../reasons/index.ts';
import { createPathMatcher, type PathMatcher } from './path-matcher.ts';
import {
  isServicePathProfile,
  type MappingsProfileInput,
  type MappingType,
  type ServicePathProfileInput,
  type SyncProfileInput,
} from './profile.ts';
import { BUILTIN_EXCLUDES, PROTECTED_PATTERNS } from './protected-paths.ts';
import { joinPath, normalizeRelativePath } from './safe-path.ts';

/** Bump when planning semantics change: a new fingerprint forces one full plan on every gateway. */
const ENGINE_SEMANTICS_VERSION = 1;

/**
 * One normalised mapping. `rootMode: 'children'` is used when the destination is the data-dir root (`.`) or
 * the 2-tier `config/resources` tree: the managed roots are then the entries the source provides below the
 * destination, never the destination itself (the data-dir root holds gateway-owned files).
 */
export interface ResolvedMapping {
  readonly index: number;
  /** Repository-relative, `''` = repository root. */
  readonly source: string;
  /** Data-dir-relative, `''` only with rootMode 'children'. */
  readonly destination: string;
  readonly type: MappingType;
  readonly required: boolean;
  readonly rootMode: 'self' | 'children';
  /** Where it came from, for messages: `mappings[2]`, `deploymentMode`, `servicePath`. */
  readonly origin: string;
}

/** A file the engine generates when the repository has none (a deployment mode's config-mode.json). */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
  readonly mappingIndex: number;
}

export interface ResolvedProfile {
  readonly mappings: readonly ResolvedMapping[];
  readonly generated: readonly GeneratedFile[];
  readonly excludePatterns: readonly string[];
  readonly excludes: PathMatcher;
  readonly protect: PathMatcher;
  /** Changes whenever anything that affects planning changes; a change forces a full plan. */
  readonly fingerprint: string;
}

const RESERVED_COLLECTIONS = new Set(['core', 'external', 'system', 'local']);
const COLLECTION_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * Resolves a profile (or 2-tier service path) plus the IgnitionSync's exclude patterns into ordered,
 * normalised mappings. Pure. Throws ProfileInvalid / PathTraversalBlocked (stalling) on bad input.
 */
export function resolveProfile(
  profile: SyncProfileInput,
  syncExcludePatterns: readonly string[] = [],
): ResolvedProfile {
  const built = isServicePathProfile(profile) ? resolveServicePath(profile) : resolveMappings(profile);
  const excludePatterns = [...BUILTIN_EXCLUDES, ...syncExcludePatterns, ...(profile.excludePatterns ?? [])];
  const fingerprint = createHash('sha256')
    .update(
      JSON.stringify({
        v: ENGINE_SEMANTICS_VERSION,
        mappings: built.mappings,
        generated: built.generated,
        excludes: excludePatterns,
        protect: PROTECTED_PATTERNS,
      }),
    )
    .digest('hex');
  return {
    ...built,
    excludePatterns,
    excludes: createPathMatcher(excludePatterns),
    protect: createPathMatcher(PROTECTED_PATTERNS),
    fingerprint,
  };
}

interface Built {
  mappings: ResolvedMapping[];
  generated: GeneratedFile[];
}

function resolveMappings(profile: MappingsProfileInput): Built {
  const mappings: ResolvedMapping[] = profile.mappings.map((m, index) => {
    const origin = `mappings[${index}]`;
    const type = m.type ?? 'dir';
    const source = normalizeRelativePath(m.source, `${origin}.source`);
    const destination = normalizeRelativePath(m.destination, `${origin}.destination`);
    if (type === 'file' && (source === '' || destination === '')) {
      throw invalid(`${origin}: a file mapping needs a file source and a file destination, not the root`);
    }
    const rootMode = type === 'dir' && destination === '' ? 'children' : 'self';
    return { index, source, destination, type, required: m.required ?? false, rootMode, origin };
  });
  const generated: GeneratedFile[] = [];
  const mode = profile.deploymentMode;
  if (mode !== undefined) {
    if (!COLLECTION_NAME.test(mode.name) || RESERVED_COLLECTIONS.has(mode.name)) {
      throw invalid(
        `deploymentMode.name ${JSON.stringify(mode.name)} is not a usable collection name ` +
          '(letters, digits, _ . -; not core, external, system or local)',
      );
    }
    const index = mappings.length;
    const destination = `config/resources/${mode.name}`;
    mappings.push({
      index,
      source: normalizeRelativePath(mode.source, 'deploymentMode.source'),
      destination,
      type: 'dir',
      required: true,
      rootMode: 'self',
      origin: 'deploymentMode',
    });
    generated.push({
      path: `${destination}/config-mode.json`,
      content: configModeJson(mode.name),
      mappingIndex: index,
    });
  }
  return { mappings, generated };
}

function resolveServicePath(profile: ServicePathProfileInput): Built {
  const base = normalizeRelativePath(profile.servicePath, 'servicePath');
  const common = { type: 'dir' as const, required: false, origin: 'servicePath' };
  return {
    mappings: [
      { ...common, index: 0, source: joinPath(base, 'projects'), destination: 'projects', rootMode: 'self' },
      // each collection is its own managed root; `local` is protected and therefore never touched
      {
        ...common,
        index: 1,
        source: joinPath(base, 'config/resources'),
        destination: 'config/resources',
        rootMode: 'children',
      },
    ],
    generated: [],
  };
}

/** The config-mode.json written for a deployment mode whose source has none (Ignition 8.3 collection). */
export function configModeJson(name: string): string {
  const body = {
    title: name,
    description: `Deployment mode ${name} (managed by ignition-sync)`,
    enabled: true,
    inheritable: true,
    parent: 'core',
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

function invalid(message: string): OperatorError {
  return new OperatorError(SyncReasons.ProfileInvalid, message, { kind: 'stalling' });
}
