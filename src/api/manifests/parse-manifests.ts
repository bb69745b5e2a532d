import { isMap, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { API_VERSION, Gateway, IgnitionSync, Kinds, SyncProfile } from '../v1alpha1/index.ts';
import {
  fromZodIssues,
  manifestErrorMap,
  type PathSegment,
  type ValidationIssue,
} from './validation-issue.ts';

/** A valid document with defaults applied, tagged by kind. */
export type ParsedDocument =
  | ParsedOf<'IgnitionSync', IgnitionSync>
  | ParsedOf<'SyncProfile', SyncProfile>
  | ParsedOf<'Gateway', Gateway>;

interface ParsedOf<K extends string, T> {
  readonly kind: K;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly object: T;
  readonly source: string;
  readonly documentIndex: number;
}

export interface ManifestSet {
  readonly documents: ParsedDocument[];
  readonly issues: ValidationIssue[];
}

const SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  [Kinds.IgnitionSync]: IgnitionSync,
  [Kinds.SyncProfile]: SyncProfile,
  [Kinds.Gateway]: Gateway,
};
const KIND_LIST = Object.keys(SCHEMAS).join(', ');

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** 1-based line of the node at `path` (or of its nearest existing ancestor). */
function lineOf(contents: unknown, path: readonly PathSegment[], lines: LineCounter): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    let node: unknown = contents;
    for (const seg of path.slice(0, n)) {
      node = isMap(node) || isSeq(node) ? node.get(seg, true) : undefined;
    }
    const range = (node as Node | undefined)?.range;
    if (range) return lines.linePos(range[0]).line;
  }
  return undefined;
}

function stringField(v: Record<string, unknown>, key: string): string | undefined {
  const x = v[key];
  return typeof x === 'string' ? x : undefined;
}

/** Validates one decoded document; returns the parsed document or its issues. */
function validateDocument(
  value: unknown,
  at: { source: string; documentIndex: number; locate: (path: readonly PathSegment[]) => number | undefined },
): { document?: ParsedDocument; issues: ValidationIssue[] } {
  const base = { source: at.source, documentIndex: at.documentIndex };
  const issue = (path: string, message: string, segs: PathSegment[] = []): ValidationIssue => {
    const line = at.locate(segs);
    return line === undefined ? { ...base, path, message } : { ...base, path, message, line };
  };
  if (!isRecord(value))
    return { issues: [issue('', 'must be a mapping with apiVersion, kind, metadata and spec')] };
  const kind = stringField(value, 'kind');
  const metadata = value.metadata;
  const name = isRecord(metadata) ? stringField(metadata, 'name') : undefined;
  const named = { ...base, ...(kind === undefined ? {} : { kind }), ...(name === undefined ? {} : { name }) };
  if (value.apiVersion !== API_VERSION) {
    const msg = value.apiVersion === undefined ? 'required' : `must be "${API_VERSION}"`;
    return { issues: [{ ...issue('apiVersion', msg, ['apiVersion']), ...named }] };
  }
  const schema = kind === undefined ? undefined : SCHEMAS[kind];
  if (schema === undefined) {
    const msg = kind === undefined ? 'required' : `must be one of ${KIND_LIST}`;
    return { issues: [{ ...issue('kind', msg, ['kind']), ...named }] };
  }
  const result = schema.safeParse(value, { error: manifestErrorMap });
  if (!result.success) {
    return {
      issues: fromZodIssues(result.error.issues, named).map(({ path, issue: i }) => {
        const line = at.locate(path);
        return line === undefined ? i : { ...i, line };
      }),
    };
  }
  const object = result.data as { metadata: { name: string; namespace?: string | undefined } };
  return {
    issues: [],
    document: {
      kind,
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      object,
      ...base,
    } as ParsedDocument,
  };
}

/** Key that makes two documents "the same object": kind, namespace and name. */
export function documentKey(d: Pick<ParsedDocument, 'kind' | 'name' | 'namespace'>): string {
  return `${d.kind}/${d.namespace ?? ''}/${d.name}`;
}

/**
 * Drops every document whose kind+namespace+name was already seen (the first occurrence wins) and reports
 * each dropped one, so that consumers never see two definitions of one object.
 */
export function dedupeDocuments(documents: readonly ParsedDocument[]): ManifestSet {
  const seen = new Map<string, ParsedDocument>();
  const issues: ValidationIssue[] = [];
  const unique: ParsedDocument[] = [];
  for (const d of documents) {
    const first = seen.get(documentKey(d));
    if (first === undefined) {
      seen.set(documentKey(d), d);
      unique.push(d);
      continue;
    }
    const where =
      first.source === d.source
        ? `document ${first.documentIndex + 1}`
        : `${first.source} document ${first.documentIndex + 1}`;
    issues.push({
      source: d.source,
      documentIndex: d.documentIndex,
      kind: d.kind,
      name: d.name,
      path: 'metadata.name',
      message: `duplicate ${d.kind} "${d.name}" (already defined in ${where})`,
    });
  }
  return { documents: unique, issues };
}

/**
 * Parses multi-document YAML holding IgnitionSync, SyncProfile and Gateway objects. Every document is
 * validated strictly (unknown fields are errors) and gets its defaults applied. Documents that are empty
 * (only comments, a trailing `---`) are skipped. A kind+namespace+name that appears twice is an error.
 * Pure: no I/O.
 *
 * @example parseManifests(text, 'sync.yaml').issues.map(formatIssue)
 */
export function parseManifests(text: string, sourceName: string): ManifestSet {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const documents: ParsedDocument[] = [];
  const issues: ValidationIssue[] = [];
  const list = Array.isArray(docs) ? docs : [];
  list.forEach((doc, documentIndex) => {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        issues.push({
          source: sourceName,
          documentIndex,
          path: '',
          message: `invalid YAML: ${e.message.split('\n')[0] ?? e.message}`,
          line: lines.linePos(e.pos[0]).line,
        });
      }
      return;
    }
    if (doc.contents === null) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e: unknown) {
      // An alias bomb ("billion laughs") or an alias cycle: refused as invalid input, never expanded.
      issues.push({
        source: sourceName,
        documentIndex,
        path: '',
        message: `invalid YAML: ${e instanceof Error ? e.message : String(e)} (YAML aliases expand to too much data)`,
        line: lines.linePos(doc.contents.range[0]).line,
      });
      return;
    }
    if (value === null || value === undefined) return;
    const locate = (path: readonly PathSegment[]) => lineOf(doc.contents, path, lines);
    const r = validateDocument(value, { source: sourceName, documentIndex, locate });
    issues.push(...r.issues);
    if (r.document) documents.push(r.document);
  });
  const deduped = dedupeDocuments(documents);
  return { documents: deduped.documents, issues: [...issues, ...deduped.issues] };
}
