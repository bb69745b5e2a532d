import { z } from 'zod';
import type { ParseResult, WebhookRequest } from '../webhook-event.ts';
import { isZeroCommit, readJsonPayload, reportedCommit } from './json-payload.ts';

/** Classifies a full ref name a git host reports (`refs/tags/x`, `refs/heads/x`). */
export function parseFullRef(ref: string): ParseResult {
  if (ref.startsWith('refs/tags/') && ref.length > 'refs/tags/'.length) {
    return { kind: 'event', ref, refSource: 'tag' };
  }
  if (ref.startsWith('refs/heads/') && ref.length > 'refs/heads/'.length) {
    return { kind: 'event', ref, refSource: 'branch' };
  }
  return { kind: 'ignored', reason: 'ref is neither a branch nor a tag' };
}

const PushPayload = z.object({
  ref: z.string(),
  deleted: z.boolean().optional(),
  after: z.string().nullish(),
});
const CreatePayload = z.object({ ref: z.string(), ref_type: z.string() });
const ReleasePayload = z.object({
  action: z.string(),
  release: z.object({ tag_name: z.string() }),
});

function parsePush(request: WebhookRequest): ParseResult {
  const payload = readJsonPayload(request, PushPayload);
  if (!payload.ok) return { kind: 'malformed', message: payload.message };
  if (payload.value.deleted === true || isZeroCommit(payload.value.after)) {
    return { kind: 'ignored', reason: 'ref deleted' };
  }
  const result = parseFullRef(payload.value.ref);
  return result.kind === 'event' ? { ...result, ...reportedCommit(payload.value.after) } : result;
}

function parseCreate(request: WebhookRequest): ParseResult {
  const payload = readJsonPayload(request, CreatePayload);
  if (!payload.ok) return { kind: 'malformed', message: payload.message };
  if (payload.value.ref_type !== 'tag') {
    return {
      kind: 'ignored',
      reason: `created ${payload.value.ref_type} is not a tag (its push event counts)`,
    };
  }
  return { kind: 'event', ref: `refs/tags/${payload.value.ref}`, refSource: 'tag' };
}

function parseRelease(request: WebhookRequest): ParseResult {
  const payload = readJsonPayload(request, ReleasePayload);
  if (!payload.ok) return { kind: 'malformed', message: payload.message };
  if (payload.value.action !== 'published') {
    return { kind: 'ignored', reason: `release action ${payload.value.action} is not published` };
  }
  return { kind: 'event', ref: `refs/tags/${payload.value.release.tag_name}`, refSource: 'tag' };
}

/**
 * Events in GitHub's shape, which Gitea and Forgejo copy: `push` (tag or branch; deletions ignored),
 * `create` (tags only), `release` (published only); `ping` and everything else ignored with a reason.
 */
export function parseGithubStyleEvent(event: string | undefined, request: WebhookRequest): ParseResult {
  switch (event) {
    case 'push':
      return parsePush(request);
    case 'create':
      return parseCreate(request);
    case 'release':
      return parseRelease(request);
    case 'ping':
      return { kind: 'ignored', reason: 'ping' };
    case undefined:
      return { kind: 'malformed', message: 'event header missing' };
    default:
      return { kind: 'ignored', reason: `event ${event} does not trigger a sync` };
  }
}
