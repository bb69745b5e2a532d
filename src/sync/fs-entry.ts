import type { Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import type { LiveEntry } from './sync-plan.ts';

/** True when `e` is a Node system error with this `code` (ENOENT, ENOTEMPTY...). */
export function isCode(e: unknown, code: string): boolean {
  return typeof e === 'object' && e !== null && 'code' in e && (e as { code: unknown }).code === code;
}

/** lstat that answers null for a missing path (or a missing parent). Never follows the final symlink. */
export async function lstatOrNull(abs: string): Promise<Stats | null> {
  try {
    return await lstat(abs);
  } catch (e: unknown) {
    if (isCode(e, 'ENOENT') || isCode(e, 'ENOTDIR')) return null;
    throw e;
  }
}

export function toLiveEntry(st: Stats): LiveEntry {
  const kind = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'other';
  return { kind, size: st.size, mode: st.mode & 0o777 };
}
