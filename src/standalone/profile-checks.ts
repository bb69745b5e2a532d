import type { ParsedDocument, ValidationIssue } from '../api/index.ts';
import { ownedDestinationsOf } from '../sync/index.ts';

/**
 * Checks beyond the schema that need the engine's knowledge: a SyncProfile mapping onto a gateway-owned path
 * (`gateway.xml`, `config/local/`, ...) validates structurally but would sync nothing, so it is reported as an
 * issue of that document (used by `validate` and `run`).
 */
export function profileIssues(documents: readonly ParsedDocument[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const doc of documents) {
    if (doc.kind !== 'SyncProfile') continue;
    for (const owned of ownedDestinationsOf(doc.object.spec.mappings)) {
      issues.push({
        source: doc.source,
        documentIndex: doc.documentIndex,
        kind: doc.kind,
        name: doc.name,
        path: owned.path,
        message: owned.message,
      });
    }
  }
  return issues;
}
