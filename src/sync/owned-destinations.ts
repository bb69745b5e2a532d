import { createPathMatcher } from './path-matcher.ts';
import type { SyncMappingInput } from './profile.ts';
import { ENGINE_DIR, PROTECTED_PATTERNS } from './protected-paths.ts';

const PROTECTED = createPathMatcher(PROTECTED_PATTERNS);

/** A mapping whose whole destination is owned by the gateway: it could never write anything. */
export interface OwnedDestination {
  /** Index in the profile's `mappings`. */
  readonly index: number;
  readonly destination: string;
  /** Field path and message in `validate`'s words. */
  readonly path: string;
  readonly message: string;
}

/**
 * The mappings that point entirely at gateway-owned paths (`gateway.xml`, `config/local/`, `*.idb`, ...): the
 * engine never writes there, so such a mapping silently does nothing. `validate` and `run` refuse them. Pure.
 */
export function ownedDestinationsOf(mappings: readonly SyncMappingInput[]): OwnedDestination[] {
  const found: OwnedDestination[] = [];
  mappings.forEach((m, index) => {
    const destination = m.destination.replace(/\/+$/, '').replace(/^(\.\/)+/, '');
    if (destination === '' || destination === '.') return;
    const isDirectory = (m.type ?? 'dir') === 'dir';
    if (!PROTECTED.matches(destination, isDirectory)) return;
    found.push({
      index,
      destination: m.destination,
      path: `spec.mappings[${index}].destination`,
      message: `"${m.destination}" is owned by the gateway${destination.startsWith(ENGINE_DIR) ? ' (the engine state)' : ''} and is never written: this mapping would sync nothing`,
    });
  });
  return found;
}
