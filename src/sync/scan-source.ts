import { type Dirent, lstatSync, readdirSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { OperatorError } from '../errors.ts';
import { SyncReasons } from '../reasons/index.ts';
import { drain, forEachCooperatively } from './cooperative-loop.ts';
import type { SourceFile, SourceListing } from './desired-tree.ts';
import { isCode } from './fs-entry.ts';
import type { ChildEntry } from './managed-roots.ts';
import type { ResolvedMapping, ResolvedProfile } from './mappings.ts';
import { joinPath } from './safe-path.ts';
import type { SkippedPath } from './sync-plan.ts';

export type SourceRootKind = 'file' | 'dir' | 'missing';

/**
 * Checks a mapping's source root without following symlinks: every component from the repository root must
 * be a real directory and the root itself a file or directory matching the mapping type. Throws
 * PathTraversalBlocked for a symlink, RequiredSourceMissing for a missing required source, ProfileInvalid for
 * a type mismatch.
 */
export async function checkMappingSource(
  sourceDir: string,
  mapping: ResolvedMapping,
): Promise<SourceRootKind> {
  let prefix = '';
  const segments = mapping.source === '' ? [] : mapping.source.split('/');
  for (const [i, segment] of segments.entries()) {
    prefix = joinPath(prefix, segment);
    const st = await lstat(join(sourceDir, prefix)).catch((e: unknown) => {
      if (isCode(e, 'ENOENT') || isCode(e, 'ENOTDIR')) return null;
      throw e;
    });
    if (st === null) return missing(mapping);
    if (st.isSymbolicLink()) {
      throw new OperatorError(
        SyncReasons.PathTraversalBlocked,
        `${mapping.origin}.source ${JSON.stringify(mapping.source)}: ${prefix} is a symlink in the repository`,
        { kind: 'stalling', details: { path: prefix } },
      );
    }
    const isLast = i === segments.length - 1;
    if (!isLast && !st.isDirectory()) return missing(mapping);
    if (isLast && st.isDirectory() !== (mapping.type === 'dir')) {
      throw new OperatorError(
        SyncReasons.ProfileInvalid,
        `${mapping.origin}: source ${JSON.stringify(mapping.source)} is a ${st.isDirectory() ? 'directory' : 'file'} but the mapping type is ${mapping.type}`,
        { kind: 'stalling' },
      );
    }
  }
  return mapping.type;
}

function missing(mapping: ResolvedMapping): 'missing' {
  if (mapping.required) {
    throw new OperatorError(
      SyncReasons.RequiredSourceMissing,
      `${mapping.origin}: required source ${JSON.stringify(mapping.source)} does not exist at this commit`,
      { kind: 'stalling', details: { source: mapping.source } },
    );
  }
  return 'missing';
}

export interface SourceScan {
  readonly listing: SourceListing;
  readonly skipped: SkippedPath[];
  readonly children: ChildEntry[];
}

/**
 * Lists the regular files of an (existing) mapping source, pruning excluded and protected destinations and
 * never following symlinks (they are reported as skipped).
 */
export async function scanMappingSource(
  sourceDir: string,
  mapping: ResolvedMapping,
  profile: ResolvedProfile,
): Promise<SourceScan> {
  const files: SourceFile[] = [];
  const skipped: SkippedPath[] = [];
  const children: ChildEntry[] = [];
  if (mapping.type === 'file') {
    const dest = mapping.destination;
    if (profile.protect.matches(dest, false)) skipped.push({ path: dest, reason: 'protected' });
    else if (!profile.excludes.matches(dest, false)) {
      const st = await lstat(join(sourceDir, mapping.source));
      files.push({ rel: '', size: st.size, mode: st.mode & 0o777 });
    }
    return { listing: { mappingIndex: mapping.index, files }, skipped, children };
  }
  const queue: string[] = [''];
  const visitEntry = (parentRel: string, entry: Dirent): void => {
    const rel = joinPath(parentRel, entry.name);
    const dest = joinPath(mapping.destination, rel);
    const isDir = entry.isDirectory();
    if (profile.excludes.matchesSelf(dest, isDir)) return;
    if (profile.protect.matchesSelf(dest, isDir)) {
      skipped.push({ path: isDir ? `${dest}/` : dest, reason: 'protected' });
      return;
    }
    if (parentRel === '' && (isDir || entry.isFile()))
      children.push({ name: entry.name, isDirectory: isDir });
    if (isDir) {
      queue.push(rel);
      return;
    }
    if (entry.isSymbolicLink()) {
      skipped.push({
        path: dest,
        reason: 'symlink',
        detail: 'symlinks in the repository are never followed or copied',
      });
      return;
    }
    if (!entry.isFile()) {
      skipped.push({ path: dest, reason: 'unsupported-file-type' });
      return;
    }
    const st = lstatSync(join(sourceDir, mapping.source, rel));
    files.push({ rel, size: st.size, mode: st.mode & 0o777 });
  };
  if (
    profile.excludes.matches(mapping.destination, true) ||
    profile.protect.matches(mapping.destination, true)
  ) {
    return { listing: { mappingIndex: mapping.index, files }, skipped, children };
  }
  await forEachCooperatively(drain(queue), (rel) => {
    for (const entry of readdirSync(join(sourceDir, mapping.source, rel), { withFileTypes: true }))
      visitEntry(rel, entry);
  });
  return { listing: { mappingIndex: mapping.index, files }, skipped, children };
}

/** Top-level entries of a `children` mapping's source (for incremental plans; one readdir). */
export async function listSourceChildren(
  sourceDir: string,
  mapping: ResolvedMapping,
  profile: ResolvedProfile,
): Promise<ChildEntry[]> {
  const entries = await readdir(join(sourceDir, mapping.source), { withFileTypes: true });
  const out: ChildEntry[] = [];
  for (const entry of entries) {
    const isDir = entry.isDirectory();
    if (!isDir && !entry.isFile()) continue;
    const dest = joinPath(mapping.destination, entry.name);
    if (profile.excludes.matchesSelf(dest, isDir) || profile.protect.matchesSelf(dest, isDir)) continue;
    out.push({ name: entry.name, isDirectory: isDir });
  }
  return out;
}
