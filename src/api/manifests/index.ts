export { type LoadedManifests, type LoadManifestsOptions, loadManifests } from './load-manifests.ts';
export {
  dedupeDocuments,
  documentKey,
  type ManifestSet,
  type ParsedDocument,
  parseManifests,
} from './parse-manifests.ts';
export { formatIssue, formatPath, type ValidationIssue } from './validation-issue.ts';
