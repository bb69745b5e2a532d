import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  accepted,
  block,
  hmac,
  type Obj,
  type SentRequest,
  SHA,
  send,
  useDocsReceiver,
  yamlOf,
} from '../harness/docs-receiver.ts';

// docs/integrations/git-hosting.md: the exact deliveries GitHub, GitLab, Gitea and Forgejo send for the
// documented settings (headers, signature, payload) against the real receiver; and the Ignition chart values
// of ignition-helm-chart.md (their injection: test/integration/ignition-chart-annotations.test.ts).

const docs = useDocsReceiver();
let key: string;
beforeAll(() => {
  ({ key } = docs());
});

// ------------------------------------------------------------------------------------------ git hosting

function settingsOf(id: string): Record<string, string> {
  return Object.fromEntries(
    block(id)
      .text.trim()
      .split('\n')
      .map((l) => /^([^:]+):\s+(.*)$/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1] ?? '', (m[2] ?? '').trim()]),
  );
}

const repository = {
  id: 1296269,
  name: 'conf-proveit26-app',
  full_name: 'inductive-automation/conf-proveit26-app',
  clone_url: 'https://github.com/inductive-automation/conf-proveit26-app.git',
  ssh_url: 'git@github.com:inductive-automation/conf-proveit26-app.git',
};
const ZERO = '0'.repeat(40);

describe('docs/integrations/git-hosting.md', () => {
  /** GitHub's delivery: its headers (signed with the secret when one is set) and the JSON or form body. */
  function github(
    settings: Record<string, string>,
    event: string,
    payload: Obj,
    secret?: string,
  ): SentRequest {
    const json = JSON.stringify(payload);
    const form = settings['Content type'] === 'application/x-www-form-urlencoded';
    const body = form ? `payload=${encodeURIComponent(json)}` : json;
    return {
      method: 'POST',
      url: settings['Payload URL'] ?? '',
      headers: {
        'Content-Type': settings['Content type'] ?? '',
        'User-Agent': 'GitHub-Hookshot/4c2e1f9',
        'X-GitHub-Delivery': randomUUID(),
        'X-GitHub-Event': event,
        'X-GitHub-Hook-ID': '512345678',
        'X-GitHub-Hook-Installation-Target-ID': String(repository.id),
        'X-GitHub-Hook-Installation-Target-Type': 'repository',
        ...(secret === undefined
          ? {}
          : {
              'X-Hub-Signature': `sha1=${hmac('sha1', body, secret)}`,
              'X-Hub-Signature-256': `sha256=${hmac('sha256', body, secret)}`,
            }),
      },
      body,
    };
  }

  it('GitHub: the documented events; ping 200; tag push, tag creation, release and a push to the followed branch 202; unsigned 401', async () => {
    const settings = settingsOf('github-settings');
    expect(settings.Secret).toContain('sync-webhook-secret / hmac-key');
    const events = (settings.Events ?? '').replace(/^.*:\s*/, '').split(/,\s*/);
    expect(events).toEqual(['Branch or tag creation', 'Pushes', 'Releases']);

    const ping = await send(
      github(settings, 'ping', { zen: 'Keep it logically awesome.', hook_id: 512345678, repository }, key),
    );
    expect(ping.status).toBe(200);
    const tagPush = {
      ref: 'refs/tags/2.0.1',
      before: ZERO,
      after: SHA,
      created: true,
      deleted: false,
      forced: false,
      base_ref: null,
      commits: [],
      head_commit: { id: SHA },
      repository,
      pusher: { name: 'alice' },
    };
    const create = { ref: '2.0.1', ref_type: 'tag', master_branch: 'main', pusher_type: 'user', repository };
    const release = {
      action: 'published',
      release: { tag_name: '2.0.1', target_commitish: 'main', draft: false, prerelease: false },
      repository,
    };
    const mainPush = { ...tagPush, ref: 'refs/heads/main', created: false, before: SHA.replace('4', '5') };
    for (const [event, payload] of [
      ['push', tagPush],
      ['create', create],
      ['release', release],
      ['push', mainPush],
    ] as const) {
      expect(await send(github(settings, event, payload, key)), event).toMatchObject({ status: 202 });
    }
    expect(accepted.map((a) => a.ref)).toEqual([
      'refs/tags/2.0.1',
      'refs/tags/2.0.1',
      'refs/tags/2.0.1',
      'main',
    ]);

    const form = { ...settings, 'Content type': 'application/x-www-form-urlencoded' };
    expect((await send(github(form, 'push', tagPush, key))).status).toBe(202);
    expect((await send(github(settings, 'push', tagPush))).status).toBe(401);
    expect((await send(github(settings, 'push', tagPush, 'not-the-key'))).status).toBe(401);
  });

  it('GitLab: tag push, push to the followed branch and release 202 with X-Gitlab-Token; without it 401', async () => {
    const settings = settingsOf('gitlab-settings');
    expect(settings.Trigger?.split(/,\s*/)).toEqual(['Tag push events', 'Push events', 'Releases events']);
    const gitlab = (event: string, payload: Obj, token?: string): SentRequest => ({
      method: 'POST',
      url: settings.URL ?? '',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'GitLab/18.6.1',
        'X-Gitlab-Event': event,
        'X-Gitlab-Event-UUID': randomUUID(),
        'X-Gitlab-Webhook-UUID': '0c7bb2b1-4a0f-4f5c-9d34-33f2c3d4e5f6',
        'X-Gitlab-Instance': 'https://gitlab.example.com',
        'Idempotency-Key': randomUUID(),
        ...(token === undefined ? {} : { 'X-Gitlab-Token': token }),
      },
      body: JSON.stringify(payload),
    });
    const project = {
      id: 15,
      path_with_namespace: 'site/proveit',
      git_http_url: 'https://gitlab.example.com/site/proveit.git',
    };
    const tagPush = {
      object_kind: 'tag_push',
      event_name: 'tag_push',
      before: ZERO,
      after: SHA,
      ref: 'refs/tags/2.0.1',
      ref_protected: true,
      checkout_sha: SHA,
      project,
      commits: [],
      total_commits_count: 0,
    };
    const push = {
      ...tagPush,
      object_kind: 'push',
      event_name: 'push',
      ref: 'refs/heads/main',
      before: SHA.replace('4', '5'),
    };
    const release = { object_kind: 'release', action: 'create', tag: '2.0.1', project, commit: { id: SHA } };
    expect(await send(gitlab('Tag Push Hook', tagPush, key))).toMatchObject({ status: 202 });
    expect(await send(gitlab('Push Hook', push, key))).toMatchObject({ status: 202 });
    expect(await send(gitlab('Release Hook', release, key))).toMatchObject({ status: 202 });
    expect(accepted.map((a) => a.ref)).toEqual(['refs/tags/2.0.1', 'main', 'refs/tags/2.0.1']);
    expect((await send(gitlab('Tag Push Hook', tagPush))).status).toBe(401);
  });

  it('Gitea and Forgejo: their exact headers and signatures; tag push and tag creation 202; no secret 401; GET 405', async () => {
    const settings = settingsOf('gitea-settings');
    expect(settings['HTTP method']).toBe('POST');
    expect(settings['POST content type']).toBe('application/json');
    expect(settings['Trigger on']).toBe('Custom events: Create, Push, Release');
    /** Gitea's delivery (services/webhook): every family of headers, signatures empty without a secret. */
    const gitea = (event: string, payload: Obj, secret: string, forgejo = false): SentRequest => {
      const body = JSON.stringify(payload);
      const sha256 = secret === '' ? '' : hmac('sha256', body, secret);
      const sha1 = secret === '' ? '' : hmac('sha1', body, secret);
      const id = randomUUID();
      return {
        method: settings['HTTP method'] ?? '',
        url: settings['Target URL'] ?? '',
        headers: {
          'Content-Type': settings['POST content type'] ?? '',
          'User-Agent': 'Go-http-client/1.1',
          ...(forgejo
            ? {
                'X-Forgejo-Delivery': id,
                'X-Forgejo-Event': event,
                'X-Forgejo-Event-Type': event,
                'X-Forgejo-Signature': sha256,
              }
            : {}),
          'X-Gitea-Delivery': id,
          'X-Gitea-Event': event,
          'X-Gitea-Event-Type': event,
          'X-Gitea-Signature': sha256,
          'X-Gogs-Delivery': id,
          'X-Gogs-Event': event,
          'X-Gogs-Event-Type': event,
          'X-Gogs-Signature': sha256,
          'X-Hub-Signature': `sha1=${sha1}`,
          'X-Hub-Signature-256': `sha256=${sha256}`,
          'X-GitHub-Delivery': id,
          'X-GitHub-Event': event,
          'X-GitHub-Event-Type': event,
        },
        body,
      };
    };
    const repo = {
      id: 7,
      full_name: 'site/proveit',
      clone_url: 'https://gitea.example.com/site/proveit.git',
    };
    const tagPush = {
      ref: 'refs/tags/2.0.1',
      before: ZERO,
      after: SHA,
      compare_url: '',
      commits: [],
      total_commits: 0,
      head_commit: null,
      repository: repo,
      pusher: { login: 'alice' },
    };
    const create = { sha: SHA, ref: '2.0.1', ref_type: 'tag', repository: repo };
    for (const forgejo of [false, true]) {
      expect(await send(gitea('push', tagPush, key, forgejo))).toMatchObject({ status: 202 });
      expect(await send(gitea('create', create, key, forgejo))).toMatchObject({ status: 202 });
      expect((await send(gitea('push', tagPush, '', forgejo))).status).toBe(401);
    }
    expect(accepted.map((a) => [a.event.provider, a.ref])).toEqual([
      ['gitea', 'refs/tags/2.0.1'],
      ['gitea', 'refs/tags/2.0.1'],
      ['forgejo', 'refs/tags/2.0.1'],
      ['forgejo', 'refs/tags/2.0.1'],
    ]);
    expect((await send({ ...gitea('push', tagPush, key), method: 'GET' })).status).toBe(405);
  });
});

// -------------------------------------------------------------------------------- Ignition Helm chart

describe('docs/integrations/ignition-helm-chart.md (values shape; injection: test/integration/ignition-chart-annotations.test.ts)', () => {
  it("every umbrella alias has top-level podAnnotations (the chart's .Values.podAnnotations), not gateway.podAnnotations", () => {
    const chart = yamlOf<{ dependencies: { name: string; alias: string; repository: string }[] }>(
      'chart-umbrella',
    );
    const values =
      yamlOf<Record<string, { podAnnotations?: Record<string, string>; gateway?: Obj }>>(
        'chart-values-proveit',
      );
    expect(
      chart.dependencies.every((d) => d.name === 'ignition' && d.repository === 'https://charts.ia.io'),
    ).toBe(true);
    expect(Object.keys(values).sort()).toEqual(chart.dependencies.map((d) => d.alias).sort());
    for (const [alias, v] of Object.entries(values)) {
      expect(v.gateway?.podAnnotations, alias).toBeUndefined();
      expect(v.podAnnotations?.['ignition-sync.io/inject'], alias).toBe('true');
    }
    const single = yamlOf<{ podAnnotations: Record<string, string> }>('chart-values-single');
    expect(single.podAnnotations['ignition-sync.io/inject']).toBe('true');
  });
});
