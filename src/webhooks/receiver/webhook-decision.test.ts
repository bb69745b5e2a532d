import { describe, expect, it } from 'vitest';
import { normalizeRepoUrl } from './repo-url.ts';
import { decideWebhookAction, type WebhookTargetState } from './webhook-decision.ts';
import type { WebhookEvent } from './webhook-event.ts';

const base: WebhookEvent = {
  namespace: 'site1',
  name: 'proveit-sync',
  provider: 'github',
  ref: '',
  refSource: 'tag',
};

describe('decideWebhookAction', () => {
  it('a tag event requests that tag', () => {
    expect(decideWebhookAction({ ...base, ref: 'refs/tags/2.0.1' }, '2.0.0')).toEqual({
      kind: 'sync',
      requestRef: 'refs/tags/2.0.1',
      decision: { accepted: true, ref: 'refs/tags/2.0.1' },
    });
  });

  it('an explicit Argo CD / Kargo ref requests that ref', () => {
    const action = decideWebhookAction(
      { ...base, provider: 'generic', ref: 'v9', refSource: 'explicit' },
      'main',
    );
    expect(action).toMatchObject({ kind: 'sync', requestRef: 'v9' });
  });

  it('a push to the followed branch re-resolves it without changing the ref', () => {
    expect(decideWebhookAction({ ...base, ref: 'refs/heads/main', refSource: 'branch' }, 'main')).toEqual({
      kind: 'sync',
      requestRef: undefined,
      decision: { accepted: true, ref: 'main' },
    });
  });

  it('a push to another branch is ignored with a reason', () => {
    expect(
      decideWebhookAction({ ...base, ref: 'refs/heads/feature/x', refSource: 'branch' }, 'main'),
    ).toEqual({
      kind: 'ignore',
      decision: { accepted: false, reason: 'branch feature/x is not the followed ref main' },
    });
  });

  describe('the pin rule', () => {
    const pin = { ref: '2.0.1', requestedBy: 'webhook/generic', requestedAt: '2026-12-02T15:00:00.000Z' };
    const pinned: WebhookTargetState = { key: 'site1/proveit-sync', specRef: 'main', pin };
    const push = { ...base, ref: 'refs/heads/main', refSource: 'branch' as const };

    it('a push to the spec branch while pinned is ignored, naming the pin, who, when and how to clear it', () => {
      const action = decideWebhookAction(push, pinned);
      expect(action.kind).toBe('ignore');
      expect(action.decision).toEqual({
        accepted: false,
        pinned: pin,
        reason:
          'IgnitionSync site1/proveit-sync is pinned to 2.0.1 (requested by webhook/generic at 2026-12-02T15:00:00.000Z); ' +
          'a push to main does not move it. To follow main again, send {"ref": "main"} to this webhook, or change spec.git.ref',
      });
    });

    it('the same push without a pin re-resolves the branch', () => {
      expect(decideWebhookAction(push, { ...pinned, pin: undefined })).toMatchObject({
        kind: 'sync',
        requestRef: undefined,
      });
    });

    it('asking for spec.git.ref (short or full name) clears the pin; unpinned it just syncs', () => {
      for (const ref of ['main', 'refs/heads/main']) {
        const action = decideWebhookAction(
          { ...base, provider: 'generic', ref, refSource: 'explicit' },
          pinned,
        );
        expect(action).toMatchObject({ kind: 'unpin', decision: { accepted: true, ref: 'main' } });
      }
      const unpinned = decideWebhookAction(
        { ...base, provider: 'generic', ref: 'main', refSource: 'explicit' },
        { ...pinned, pin: undefined },
      );
      expect(unpinned).toEqual({
        kind: 'sync',
        requestRef: undefined,
        decision: { accepted: true, ref: 'main' },
      });
    });

    it('another ref moves the pin; a push to a feature branch is still ignored', () => {
      expect(
        decideWebhookAction({ ...base, provider: 'generic', ref: '2.0.2', refSource: 'explicit' }, pinned),
      ).toMatchObject({ kind: 'sync', requestRef: '2.0.2' });
      expect(decideWebhookAction({ ...push, ref: 'refs/heads/dev' }, pinned).decision).toEqual({
        accepted: false,
        reason: 'branch dev is not the followed ref 2.0.1',
      });
    });
  });

  describe('bodies naming several repositories (Argo CD multi-source, Kargo Freight)', () => {
    const candidates = [
      { ref: '4.1.0', repoURL: 'https://charts.example.com' },
      { ref: '2.0.2', repoURL: 'git@git.example.com:Site/proveit.git' },
    ];
    const event = {
      ...base,
      provider: 'generic' as const,
      ref: '4.1.0',
      refSource: 'explicit' as const,
      candidates,
    };

    it("picks the source whose repoURL is spec.git.repo, whatever the URL's form", () => {
      const state = {
        key: 'site1/proveit-sync',
        specRef: 'main',
        specRepo: 'https://git.example.com/site/proveit',
      };
      expect(decideWebhookAction(event, state)).toMatchObject({ kind: 'sync', requestRef: '2.0.2' });
    });

    it('no source in the repository → ignored with the reason', () => {
      const state = { key: 'k', specRef: 'main', specRepo: 'https://git.example.com/other' };
      expect(decideWebhookAction(event, state)).toMatchObject({
        kind: 'ignore',
        decision: { accepted: false },
      });
    });

    it('normalizeRepoUrl: https, scp-like and ssh forms of one repository are equal; others are not', () => {
      const forms = [
        'https://git.example.com/site/proveit.git',
        'git@git.example.com:site/proveit',
        'ssh://git@git.example.com/site/proveit/',
        'HTTPS://Git.Example.com/site/proveit',
      ];
      expect(new Set(forms.map(normalizeRepoUrl))).toEqual(new Set(['git.example.com/site/proveit']));
      expect(normalizeRepoUrl('file:///srv/repo.git')).toBe('/srv/repo');
      expect(normalizeRepoUrl('https://git.example.com/site/other')).not.toBe(
        normalizeRepoUrl(forms[0] ?? ''),
      );
    });
  });
});
