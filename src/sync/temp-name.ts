import { createHash } from 'node:crypto';

/** Suffix of the engine's temporary files; a leftover one is deleted by the next full plan. */
export const TEMP_SUFFIX = '.ignsync-tmp';
const NAME_MAX_BYTES = 255;

/**
 * Deterministic temporary name in the same directory as `baseName`, so that a run killed between write and
 * rename leaves a file the next run can recognise and remove. Names too long for the filesystem fall back to
 * a hash of the name.
 */
export function tempNameFor(baseName: string): string {
  const candidate = `.${baseName}${TEMP_SUFFIX}`;
  if (Buffer.byteLength(candidate) <= NAME_MAX_BYTES) return candidate;
  return `.${createHash('sha256').update(baseName).digest('hex').slice(0, 32)}${TEMP_SUFFIX}`;
}

export function isTempName(baseName: string): boolean {
  return baseName.startsWith('.') && baseName.endsWith(TEMP_SUFFIX);
}
