/** The engine's own folder inside the data directory (manifest, state). Protected like gateway files. */
export const ENGINE_DIR = '.ignition-sync';

/**
 * Paths the gateway owns (ignition-gateway.md section 2). They are never written and never deleted, even
 * when a mapping covers them. Patterns use the exclude grammar (trailing `/` = directory and below).
 */
export const PROTECTED_PATTERNS: readonly string[] = [
  `${ENGINE_DIR}/`,
  // gateway caches, identity, secrets, host-specific config
  'projects/.resources/',
  'config/local/',
  'config/resources/local/',
  // modules, gateway state files, databases, logs
  'var/',
  'modules.json',
  'gateway.xml*',
  'redundancy.xml',
  'commissioning.json',
  '.ignition-seed-complete',
  '**/*.idb',
  '**/*.idb-*',
  'logs/',
  // resources the gateway generates at runtime inside any collection
  'config/resources/*/ignition/tag-definition/System/',
  'config/resources/*/ignition/tag-definition/MQTT Engine/',
  'config/resources/*/ignition/tag-definition/MQTT Transmission/',
  'config/resources/*/ignition/gateway-network-incoming*/',
];

/**
 * Always excluded (neither written nor deleted): git metadata at any depth, whether a directory or the `.git`
 * file of a linked worktree or submodule.
 */
export const BUILTIN_EXCLUDES: readonly string[] = ['**/.git'];
