import { z } from 'zod';
import type { ParseResult, RefCandidate, WebhookRequest } from '../webhook-event.ts';
import { mediaTypeOf, reportedCommit } from './json-payload.ts';

/**
 * The bodies a generic sender may post, read in this order (the first that applies wins):
 * 1. `{"ref": "<branch|tag|sha>"}` — scripts, the seed's Argo CD and Kargo templates;
 * 2. `{"app": <Argo CD Application>}` — a notification template that forwards `{{toJson .app}}`;
 * 3. `{"freight": {"commits": [{"repoURL", "tag", "id"}]}}` — a Kargo step forwarding its Freight;
 * 4. a Flux notification-controller Event (`generic` / `generic-hmac` alert providers):
 *    `{"involvedObject": {...}, "severity": "info", "metadata": {"revision": "<ref>@sha1:<sha>"}}`;
 * 5. form data `ref=<ref>` — `curl -d ref=2.0.1` (curl's default content type).
 */

const ArgoSource = z.object({
  repoURL: z.string().optional(),
  targetRevision: z.string().optional(),
});
const ArgoApplication = z.object({
  metadata: z.object({ name: z.string().optional() }).optional(),
  spec: z.object({
    source: ArgoSource.optional(),
    sources: z.array(ArgoSource).optional(),
  }),
  status: z
    .object({
      sync: z
        .object({
          revision: z.string().optional(),
          revisions: z.array(z.string()).optional(),
        })
        .optional(),
    })
    .optional(),
});
const KargoCommit = z.object({
  repoURL: z.string().optional(),
  tag: z.string().optional(),
  id: z.string().optional(),
});
const FluxEvent = z.object({
  involvedObject: z.object({ kind: z.string().optional(), name: z.string().optional() }),
  severity: z.string().optional(),
  reason: z.string().optional(),
  metadata: z.record(z.string(), z.string()).optional(),
});
const Body = z.object({
  ref: z.string().optional(),
  involvedObject: z.unknown().optional(),
  app: z.unknown().optional(),
  freight: z.object({ commits: z.array(KargoCommit).optional() }).optional(),
});

function explicit(candidates: readonly RefCandidate[]): ParseResult {
  const [first] = candidates;
  if (first === undefined) return { kind: 'malformed', message: 'no ref in body' };
  return {
    kind: 'event',
    ref: first.ref,
    refSource: 'explicit',
    ...(first.commit === undefined ? {} : { commit: first.commit }),
    ...(candidates.length > 1 ? { candidates } : {}),
  };
}

function clean(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/**
 * An Argo CD Application: per source, the ref is its `targetRevision` (what the Application follows, e.g.
 * the tag `2.0.1`); `status.sync.revision(s)` (the commit Argo CD synced) is only reported, except when
 * `targetRevision` is empty or `HEAD`, where that commit becomes the ref. With several sources the owner
 * picks the one whose `repoURL` is the IgnitionSync's repository (`candidates`).
 */
function parseArgoApplication(app: unknown): ParseResult {
  const parsed = ArgoApplication.safeParse(app);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      kind: 'malformed',
      message: `app is not an Argo CD Application (at app.${issue?.path.join('.') ?? ''})`,
    };
  }
  const { spec, status } = parsed.data;
  const multi = spec.sources !== undefined && spec.sources.length > 0;
  const sources = multi ? (spec.sources ?? []) : spec.source === undefined ? [] : [spec.source];
  const revisions = multi ? (status?.sync?.revisions ?? []) : [status?.sync?.revision ?? ''];
  const candidates: RefCandidate[] = [];
  sources.forEach((source, i) => {
    const commit = reportedCommit(revisions[i]).commit;
    const target = clean(source.targetRevision);
    const ref = target === undefined || target === 'HEAD' ? commit : target;
    if (ref === undefined) return;
    candidates.push({
      ref,
      ...(source.repoURL === undefined ? {} : { repoURL: source.repoURL }),
      ...(commit === undefined ? {} : { commit }),
    });
  });
  if (candidates.length === 0) {
    return {
      kind: 'malformed',
      message: 'Application has no source with a targetRevision or synced revision',
    };
  }
  return explicit(candidates);
}

/** Kargo Freight commits: the tag of each, else its commit id (a full SHA). */
function parseKargoFreight(commits: readonly z.output<typeof KargoCommit>[]): ParseResult {
  const candidates: RefCandidate[] = [];
  for (const c of commits) {
    const id = reportedCommit(clean(c.id)).commit;
    const ref = clean(c.tag) ?? clean(c.id);
    if (ref === undefined) continue;
    candidates.push({
      ref,
      ...(c.repoURL === undefined ? {} : { repoURL: c.repoURL }),
      ...(id === undefined ? {} : { commit: id }),
    });
  }
  if (candidates.length === 0) return { kind: 'malformed', message: 'freight.commits has no tag or id' };
  return explicit(candidates);
}

/**
 * A Flux Event: `metadata.revision` is `<ref>@<algo>:<digest>` (`main@sha1:<sha>`, `v1.0.0@sha1:<sha>`,
 * `refs/heads/main@sha1:<sha>`) or a bare `sha1:<sha>`; the ref part is requested (the commit without a
 * ref). Error events report failures, not new revisions: ignored.
 */
function parseFluxEvent(value: unknown): ParseResult {
  const parsed = FluxEvent.safeParse(value);
  if (!parsed.success) return { kind: 'malformed', message: 'not a Flux event (involvedObject, metadata)' };
  const event = parsed.data;
  if (event.severity !== undefined && event.severity !== 'info') {
    return { kind: 'ignored', reason: `Flux event of severity ${event.severity} does not trigger a sync` };
  }
  const revision = clean(event.metadata?.revision);
  if (revision === undefined) {
    const what = event.reason === undefined ? '' : ` ${event.reason}`;
    return { kind: 'ignored', reason: `Flux event${what} carries no revision` };
  }
  const at = revision.lastIndexOf('@');
  const name = at < 0 ? '' : revision.slice(0, at);
  const digest = (at < 0 ? revision : revision.slice(at + 1)).replace(/^sha1:/, '');
  const commit = reportedCommit(digest).commit;
  const ref = clean(name) ?? commit;
  if (ref === undefined) return { kind: 'malformed', message: 'Flux event revision names no ref or commit' };
  return { kind: 'event', ref, refSource: 'explicit', ...(commit === undefined ? {} : { commit }) };
}

function parseDocument(value: unknown): ParseResult {
  const parsed = Body.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? 'body' : issue.path.join('.');
    return {
      kind: 'malformed',
      message: `unexpected payload shape at ${where}: ${issue?.message ?? 'invalid'}`,
    };
  }
  const body = parsed.data;
  if (body.ref !== undefined) {
    const ref = body.ref.trim();
    // Argo CD renders a missing annotation as "": say so instead of syncing nothing.
    if (ref === '') return { kind: 'malformed', message: 'ref is empty' };
    return { kind: 'event', ref, refSource: 'explicit' };
  }
  if (body.app !== undefined) return parseArgoApplication(body.app);
  if (body.freight?.commits !== undefined) return parseKargoFreight(body.freight.commits);
  if (body.involvedObject !== undefined) return parseFluxEvent(value);
  return {
    kind: 'malformed',
    message: 'body has none of ref, app (Argo CD), freight.commits (Kargo) or involvedObject (Flux)',
  };
}

/** Parses an authenticated generic body (see the list above). Messages never quote the body. */
export function parseGenericBody(request: WebhookRequest): ParseResult {
  const text = request.body.toString('utf8');
  const isForm = mediaTypeOf(request.headers['content-type']) === 'application/x-www-form-urlencoded';
  // `curl -d '{"ref":"2.0.1"}'` labels JSON as a form: a body that opens like JSON is read as JSON.
  if (isForm && !/^\s*[{[]/.test(text)) {
    const ref = new URLSearchParams(text).get('ref');
    if (ref === null) return { kind: 'malformed', message: 'form body has no ref field' };
    return parseDocument({ ref });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'malformed', message: 'body is not valid JSON' };
  }
  return parseDocument(value);
}
