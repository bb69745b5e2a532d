import { describe, expect, it } from 'vitest';
import { parseGenericBody } from './generic-body.ts';

const SHA = 'c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffe';
const SHA2 = 'beefbeefbeefbeefbeefbeefbeefbeefbeefbeef';

function json(value: unknown, contentType = 'application/json') {
  return { headers: { 'content-type': contentType }, body: Buffer.from(JSON.stringify(value)) };
}

/** What `{"app": {{toJson .app}}}` renders for an Application (trimmed to what matters, plus noise). */
function application(spec: unknown, sync: unknown) {
  return {
    app: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'site1-proveit', namespace: 'argocd', annotations: { git_ref: 'ignored' } },
      spec: { destination: { namespace: 'site1' }, project: 'default', ...(spec as object) },
      status: { health: { status: 'Healthy' }, sync },
    },
  };
}

describe('generic bodies', () => {
  it('an Argo CD Application with one source → its targetRevision, the synced revision as commit', () => {
    const body = application(
      { source: { repoURL: 'https://git.example.com/site/proveit.git', targetRevision: '2.0.1', path: '.' } },
      { status: 'Synced', revision: SHA },
    );
    expect(parseGenericBody(json(body))).toEqual({
      kind: 'event',
      ref: '2.0.1',
      refSource: 'explicit',
      commit: SHA,
    });
  });

  it('an Application following HEAD (or no targetRevision) → the commit Argo CD synced', () => {
    const head = application({ source: { repoURL: 'r', targetRevision: 'HEAD' } }, { revision: SHA });
    expect(parseGenericBody(json(head))).toMatchObject({ ref: SHA, commit: SHA });
    const none = application({ source: { repoURL: 'r' } }, { revision: SHA });
    expect(parseGenericBody(json(none))).toMatchObject({ ref: SHA });
    const nothing = application({ source: { repoURL: 'r', targetRevision: 'HEAD' } }, {});
    expect(parseGenericBody(json(nothing))).toMatchObject({ kind: 'malformed' });
  });

  it('a multi-source Application → one candidate per source with its repoURL and revision', () => {
    const body = application(
      {
        sources: [
          { repoURL: 'https://charts.example.com', targetRevision: '4.1.0', chart: 'ignition' },
          { repoURL: 'git@git.example.com:site/proveit.git', targetRevision: '2.0.2' },
        ],
      },
      { revisions: ['4.1.0', SHA2] },
    );
    expect(parseGenericBody(json(body))).toEqual({
      kind: 'event',
      ref: '4.1.0',
      refSource: 'explicit',
      candidates: [
        { ref: '4.1.0', repoURL: 'https://charts.example.com' },
        { ref: '2.0.2', repoURL: 'git@git.example.com:site/proveit.git', commit: SHA2 },
      ],
    });
  });

  it('an explicit ref next to the app wins (a template that adds one)', () => {
    const body = { ref: '3.0.0', ...application({ source: { targetRevision: '2.0.1' } }, {}) };
    expect(parseGenericBody(json(body))).toMatchObject({ ref: '3.0.0' });
  });

  it('app that is not an Application → malformed, naming where', () => {
    expect(parseGenericBody(json({ app: 'site1-proveit' }))).toMatchObject({ kind: 'malformed' });
    expect(parseGenericBody(json({ app: { spec: { source: { targetRevision: 7 } } } }))).toMatchObject({
      kind: 'malformed',
    });
  });

  it('a Kargo Freight → the first commit tag, else its id', () => {
    const tagged = {
      freight: { commits: [{ repoURL: 'https://git.example.com/p', tag: 'v1.4.2', id: SHA }] },
    };
    expect(parseGenericBody(json(tagged))).toEqual({
      kind: 'event',
      ref: 'v1.4.2',
      refSource: 'explicit',
      commit: SHA,
    });
    const untagged = { freight: { commits: [{ repoURL: 'https://git.example.com/p', id: SHA }] } };
    expect(parseGenericBody(json(untagged))).toMatchObject({ ref: SHA, commit: SHA });
    expect(parseGenericBody(json({ freight: { commits: [{}] } }))).toMatchObject({ kind: 'malformed' });
  });

  it('curl -d without a content type: a JSON body, or ref=<ref> form data', () => {
    const form = 'application/x-www-form-urlencoded';
    expect(
      parseGenericBody({ headers: { 'content-type': form }, body: Buffer.from('{"ref":"2.0.1"}') }),
    ).toEqual({ kind: 'event', ref: '2.0.1', refSource: 'explicit' });
    expect(
      parseGenericBody({ headers: { 'content-type': form }, body: Buffer.from('ref=refs%2Ftags%2F2.0.1') }),
    ).toEqual({ kind: 'event', ref: 'refs/tags/2.0.1', refSource: 'explicit' });
    expect(parseGenericBody({ headers: { 'content-type': form }, body: Buffer.from('tag=2.0.1') })).toEqual({
      kind: 'malformed',
      message: 'form body has no ref field',
    });
  });

  it('a body with none of the shapes → malformed, saying which are read', () => {
    expect(parseGenericBody(json({ revision: 'x' }))).toEqual({
      kind: 'malformed',
      message: 'body has none of ref, app (Argo CD), freight.commits (Kargo) or involvedObject (Flux)',
    });
  });

  it('a Flux Event (generic-hmac alert) → the ref of metadata.revision, its commit reported; errors ignored', () => {
    const event = (revision: string | undefined, severity = 'info') => ({
      involvedObject: { kind: 'GitRepository', name: 'proveit', namespace: 'flux-system' },
      severity,
      timestamp: '2026-12-02T15:00:00Z',
      message: 'stored artifact for revision',
      reason: 'NewArtifact',
      reportingController: 'source-controller',
      ...(revision === undefined ? {} : { metadata: { revision } }),
    });
    expect(parseGenericBody(json(event(`2.0.1@sha1:${SHA}`)))).toEqual({
      kind: 'event',
      ref: '2.0.1',
      refSource: 'explicit',
      commit: SHA,
    });
    expect(parseGenericBody(json(event(`refs/heads/main@sha1:${SHA}`)))).toMatchObject({
      ref: 'refs/heads/main',
    });
    expect(parseGenericBody(json(event(`sha1:${SHA}`)))).toMatchObject({ ref: SHA, commit: SHA });
    expect(parseGenericBody(json(event(`2.0.1@sha1:${SHA}`, 'error')))).toEqual({
      kind: 'ignored',
      reason: 'Flux event of severity error does not trigger a sync',
    });
    expect(parseGenericBody(json(event(undefined)))).toMatchObject({ kind: 'ignored' });
  });
});
