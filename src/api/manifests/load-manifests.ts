import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { dedupeDocuments, type ManifestSet, type ParsedDocument, parseManifests } from './parse-manifests.ts';
import type { ValidationIssue } from './validation-issue.ts';

export interface LoadedManifests extends ManifestSet {
  /** Inputs that could not be read (missing file, permission, a directory without YAML files). */
  readonly unreadable: ValidationIssue[];
  /** Every file read, in order. */
  readonly files: string[];
}

export interface LoadManifestsOptions {
  /** Descend into subdirectories (like `kubectl -R`). Default false. */
  readonly recursive?: boolean;
  /** Directory relative paths are read from. Sources are reported as given (not made absolute). */
  readonly cwd?: string;
}

const YAML_FILE = /\.ya?ml$/i;

function errorText(e: unknown): string {
  if (e instanceof Error && 'code' in e && typeof e.code === 'string') {
    return e.code === 'ENOENT' ? 'no such file or directory' : `${e.code}: ${e.message}`;
  }
  return e instanceof Error ? e.message : String(e);
}

async function listYamlFiles(cwd: string, dir: string, recursive: boolean): Promise<string[]> {
  const entries = await readdir(resolve(cwd, dir), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isFile() && YAML_FILE.test(e.name)) files.push(p);
    else if (recursive && e.isDirectory()) files.push(...(await listYamlFiles(cwd, p, true)));
  }
  return files;
}

/** Expands each path (file or directory of *.yaml / *.yml, sorted by name) into files. */
async function expandPaths(
  paths: readonly string[],
  { cwd, recursive }: { cwd: string; recursive: boolean },
): Promise<{ files: string[]; unreadable: ValidationIssue[] }> {
  const files: string[] = [];
  const unreadable: ValidationIssue[] = [];
  const fail = (source: string, message: string) =>
    unreadable.push({ source, documentIndex: -1, path: '', message });
  for (const p of paths) {
    try {
      if ((await stat(resolve(cwd, p))).isDirectory()) {
        const found = await listYamlFiles(cwd, p, recursive);
        if (found.length === 0) fail(p, 'cannot read: no *.yaml or *.yml files in directory');
        files.push(...found);
      } else {
        files.push(p);
      }
    } catch (e: unknown) {
      fail(p, `cannot read: ${errorText(e)}`);
    }
  }
  return { files, unreadable };
}

/**
 * Reads files and directories of manifests and validates them all (parseManifests per file). Besides
 * duplicates inside a file, a kind+namespace+name defined in two files is reported too: the set is
 * meant to be used together (`ignition-sync run`).
 */
export async function loadManifests(
  paths: readonly string[],
  options: LoadManifestsOptions = {},
): Promise<LoadedManifests> {
  const cwd = options.cwd ?? '.';
  const { files, unreadable } = await expandPaths(paths, { cwd, recursive: options.recursive ?? false });
  const documents: ParsedDocument[] = [];
  const issues: ValidationIssue[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(resolve(cwd, file), 'utf8');
    } catch (e: unknown) {
      unreadable.push({ source: file, documentIndex: -1, path: '', message: `cannot read: ${errorText(e)}` });
      continue;
    }
    const set = parseManifests(text, file);
    documents.push(...set.documents);
    issues.push(...set.issues);
  }
  // Duplicates inside one file were dropped and reported by parseManifests; these are across files.
  const deduped = dedupeDocuments(documents);
  return { documents: deduped.documents, issues: [...issues, ...deduped.issues], unreadable, files };
}
