import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWebhookReceiver, type WebhookEvent } from '../../../src/webhooks/index.ts';
import { captureLogger } from '../../harness/capture-logger.ts';

// One test per row of the sender table in src/webhooks/README.md, over HTTP against the real receiver.
// The key is a Standard Webhooks secret (`whsec_<base64>`), as GitLab's signing token must be; every other
// scheme uses the same value as its HMAC key or token (one webhook secret per IgnitionSync).
const RAW = randomBytes(32);
const KEY = `whsec_${RAW.toString('base64')}`;
const SHA = '4f1c2b3a4d5e6f708192a3b4c5d6e7f8091a2b3c';
const PATH = '/webhook/site1/proveit-sync';

let server: Server;
let base: string;
let events: WebhookEvent[];
const log = captureLogger();

beforeAll(async () => {
  server = createServer(
    createWebhookReceiver({
      lookupSecret: async (ns, name) =>
        ns === 'site1' && name === 'proveit-sync' ? Buffer.from(KEY) : undefined,
      onAccepted: async (event) => {
        events.push(event);
        return { accepted: true, ref: event.ref };
      },
      bodyLimitBytes: 64 * 1024,
      discardLimitBytes: 16 * 1024 * 1024,
      logger: log.logger,
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  events = [];
});

const hex = (body: string, key = KEY) => createHmac('sha256', key).update(body).digest('hex');

function standardSignature(id: string, timestamp: string, body: string, key: Buffer = RAW): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

function nowSeconds(offset = 0): string {
  return String(Math.floor(Date.now() / 1000) + offset);
}

async function post(body: string | Uint8Array, headers: Record<string, string>) {
  const res = await fetch(`${base}${PATH}`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const tagPush = JSON.stringify({ ref: 'refs/tags/2.0.1', after: SHA, deleted: false });
const gitlabTag = JSON.stringify({
  object_kind: 'tag_push',
  ref: 'refs/tags/2.0.1',
  after: SHA,
  checkout_sha: SHA,
});
const argoApp = JSON.stringify({
  app: {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'site1-proveit', namespace: 'argocd' },
    spec: {
      source: { repoURL: 'https://git.example.com/site/proveit.git', targetRevision: '2.0.1', path: '.' },
    },
    status: { sync: { status: 'Synced', revision: SHA } },
  },
});
const kargoFreight = JSON.stringify({
  freight: {
    name: 'abc123',
    commits: [{ repoURL: 'https://git.example.com/site/proveit.git', tag: '2.0.1', id: SHA }],
  },
});

const fluxEvent = JSON.stringify({
  involvedObject: {
    kind: 'GitRepository',
    namespace: 'flux-system',
    name: 'proveit',
    apiVersion: 'source.toolkit.fluxcd.io/v1',
  },
  severity: 'info',
  timestamp: '2026-12-02T15:00:00Z',
  message: "stored artifact for revision '2.0.1@sha1:4f1c2b3a'",
  reason: 'NewArtifact',
  metadata: { revision: `2.0.1@sha1:${SHA}` },
  reportingController: 'source-controller',
  reportingInstance: 'source-controller-7f9c',
});

interface Row {
  readonly sender: string;
  readonly body: string | Uint8Array;
  readonly headers: Record<string, string>;
  readonly ref: string;
  readonly provider: string;
}

const json = { 'content-type': 'application/json' };
const rows: Row[] = [
  {
    sender: 'GitHub: X-Hub-Signature-256',
    body: tagPush,
    headers: {
      ...json,
      'x-github-event': 'push',
      'x-github-delivery': 'gh-1',
      'x-hub-signature-256': `sha256=${hex(tagPush)}`,
    },
    ref: 'refs/tags/2.0.1',
    provider: 'github',
  },
  {
    sender: 'GitLab: X-Gitlab-Token',
    body: gitlabTag,
    headers: { ...json, 'x-gitlab-event': 'Tag Push Hook', 'x-gitlab-token': KEY },
    ref: 'refs/tags/2.0.1',
    provider: 'gitlab',
  },
  {
    sender: 'GitLab: signing token (webhook-id, webhook-timestamp, webhook-signature)',
    body: gitlabTag,
    headers: (() => {
      const ts = nowSeconds();
      return {
        ...json,
        'x-gitlab-event': 'Tag Push Hook',
        'webhook-id': 'gl-msg-1',
        'webhook-timestamp': ts,
        'webhook-signature': `v1,${'A'.repeat(43)}= ${standardSignature('gl-msg-1', ts, gitlabTag)}`,
      };
    })(),
    ref: 'refs/tags/2.0.1',
    provider: 'gitlab',
  },
  {
    sender: 'Gitea: X-Gitea-Signature',
    body: tagPush,
    headers: { ...json, 'x-gitea-event': 'push', 'x-gitea-signature': hex(tagPush) },
    ref: 'refs/tags/2.0.1',
    provider: 'gitea',
  },
  {
    sender: 'Forgejo: X-Forgejo-Signature',
    body: tagPush,
    headers: {
      ...json,
      'x-forgejo-event': 'push',
      'x-forgejo-signature': hex(tagPush),
      'x-gitea-event': 'push',
    },
    ref: 'refs/tags/2.0.1',
    provider: 'forgejo',
  },
  (() => {
    const body = JSON.stringify({
      push: { changes: [{ new: { type: 'tag', name: '2.0.1', target: { hash: SHA } } }] },
    });
    return {
      sender: 'Bitbucket Cloud: X-Hub-Signature',
      body,
      headers: { ...json, 'x-event-key': 'repo:push', 'x-hub-signature': `sha256=${hex(body)}` },
      ref: 'refs/tags/2.0.1',
      provider: 'bitbucket',
    };
  })(),
  {
    sender: 'generic: Authorization: Bearer',
    body: '{"ref":"2.0.1"}',
    headers: { ...json, authorization: `Bearer ${KEY}` },
    ref: '2.0.1',
    provider: 'generic',
  },
  {
    sender: 'generic: X-Signature-256',
    body: '{"ref":"2.0.1"}',
    headers: { ...json, 'x-signature-256': `sha256=${hex('{"ref":"2.0.1"}')}` },
    ref: '2.0.1',
    provider: 'generic',
  },
  {
    sender: 'generic: X-Hub-Signature-256 (GitHub-style client)',
    body: '{"ref":"2.0.1"}',
    headers: { ...json, 'x-hub-signature-256': `sha256=${hex('{"ref":"2.0.1"}')}` },
    ref: '2.0.1',
    provider: 'generic',
  },
  {
    sender: 'generic: X-Signature (Flux generic-hmac)',
    body: '{"ref":"2.0.1"}',
    headers: { ...json, 'x-signature': `sha256=${hex('{"ref":"2.0.1"}')}` },
    ref: '2.0.1',
    provider: 'generic',
  },
  {
    sender: 'Flux generic-hmac: its Event body, X-Signature',
    body: fluxEvent,
    headers: { ...json, 'x-signature': `sha256=${hex(fluxEvent)}` },
    ref: '2.0.1',
    provider: 'generic',
  },
  {
    sender: 'generic: Standard Webhooks',
    body: '{"ref":"2.0.1"}',
    headers: (() => {
      const ts = nowSeconds();
      return {
        ...json,
        'webhook-id': 'sw-1',
        'webhook-timestamp': ts,
        'webhook-signature': standardSignature('sw-1', ts, '{"ref":"2.0.1"}'),
      };
    })(),
    ref: '2.0.1',
    provider: 'generic',
  },
  {
    sender: 'Argo CD: {"app": {{toJson .app}}} with a bearer token',
    body: argoApp,
    headers: { ...json, authorization: `Bearer ${KEY}` },
    ref: '2.0.1',
    provider: 'generic',
  },
  {
    sender: 'Kargo: freight.commits[0].tag, no Content-Type',
    body: new TextEncoder().encode(kargoFreight),
    headers: { authorization: `Bearer ${KEY}` },
    ref: '2.0.1',
    provider: 'generic',
  },
  {
    sender: 'curl -d \'{"ref":...}\' (form content type, JSON body)',
    body: '{"ref":"2.0.1"}',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${KEY}` },
    ref: '2.0.1',
    provider: 'generic',
  },
  {
    sender: 'curl -d ref=2.0.1 (form data)',
    body: 'ref=2.0.1',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${KEY}` },
    ref: '2.0.1',
    provider: 'generic',
  },
];

describe('every sender, as it really sends, over HTTP', () => {
  it.each(rows)('$sender → 202 and one event', async (row) => {
    const res = await post(row.body, row.headers);
    expect(res).toEqual({ status: 202, body: { accepted: true, ref: row.ref } });
    expect(events.map((e) => [e.provider, e.ref])).toEqual([[row.provider, row.ref]]);
  });

  it('Argo CD and Kargo report the commit they name; the Argo CD ref is targetRevision', async () => {
    await post(argoApp, { ...json, authorization: `Bearer ${KEY}` });
    await post(kargoFreight, { ...json, authorization: `Bearer ${KEY}` });
    expect(events.map((e) => [e.ref, e.refSource, e.commit])).toEqual([
      ['2.0.1', 'explicit', SHA],
      ['2.0.1', 'explicit', SHA],
    ]);
  });
});

describe('refusals', () => {
  it.each([
    [
      'GitHub, forged',
      tagPush,
      { ...json, 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
    ],
    [
      'generic X-Signature under another key',
      '{"ref":"2.0.1"}',
      { ...json, 'x-signature': `sha256=${hex('{"ref":"2.0.1"}', 'guess')}` },
    ],
    [
      'generic X-Hub-Signature-256 over another body',
      '{"ref":"6.6.6"}',
      { ...json, 'x-hub-signature-256': `sha256=${hex('{"ref":"2.0.1"}')}` },
    ],
    [
      'GitLab signing token under another key',
      gitlabTag,
      (() => {
        const ts = nowSeconds();
        return {
          ...json,
          'x-gitlab-event': 'Tag Push Hook',
          'webhook-id': 'x',
          'webhook-timestamp': ts,
          'webhook-signature': standardSignature('x', ts, gitlabTag, randomBytes(32)),
        };
      })(),
    ],
    [
      'bad signature with a good bearer token',
      '{"ref":"2.0.1"}',
      { ...json, 'x-signature': 'sha256=00', authorization: `Bearer ${KEY}` },
    ],
  ])('bad signature: %s → 401 Unauthorized, nothing dispatched', async (_, body, headers) => {
    const res = await post(body, headers);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('Unauthorized');
    expect(events).toEqual([]);
  });

  it.each([
    ['10 minutes old', -600, 'in the past'],
    ['10 minutes ahead', 600, 'in the future'],
  ])(
    'stale timestamp (%s, correctly signed) → 401 StaleTimestamp saying so, nothing dispatched',
    async (_, offset, words) => {
      const ts = nowSeconds(offset);
      const res = await post(gitlabTag, {
        ...json,
        'x-gitlab-event': 'Tag Push Hook',
        'webhook-id': `stale-${offset}`,
        'webhook-timestamp': ts,
        'webhook-signature': standardSignature(`stale-${offset}`, ts, gitlabTag),
      });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('StaleTimestamp');
      expect(String(res.body.message)).toContain(words);
      expect(String(res.body.message)).toContain('300 s');
      expect(events).toEqual([]);
    },
  );

  it('a stale timestamp for an unknown target is the plain 401 (no existence oracle)', async () => {
    const ts = nowSeconds(-600);
    const res = await fetch(`${base}/webhook/site1/other`, {
      method: 'POST',
      headers: {
        ...json,
        'webhook-id': 'a',
        'webhook-timestamp': ts,
        'webhook-signature': standardSignature('a', ts, '{}'),
      },
      body: '{}',
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe('Unauthorized');
  });

  it.each([
    [
      'GitLab merge request',
      JSON.stringify({ object_kind: 'merge_request' }),
      { ...json, 'x-gitlab-event': 'Merge Request Hook', 'x-gitlab-token': KEY },
    ],
    [
      'GitHub issues',
      '{"action":"opened"}',
      { ...json, 'x-github-event': 'issues', 'x-hub-signature-256': `sha256=${hex('{"action":"opened"}')}` },
    ],
  ])('wrong event: %s → 200 accepted false with the reason, nothing dispatched', async (_, body, headers) => {
    const res = await post(body, headers);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: false });
    expect(String(res.body.reason)).toContain('does not trigger a sync');
    expect(events).toEqual([]);
  });

  it('other media types keep 415', async () => {
    const res = await post('{"ref":"2.0.1"}', {
      'content-type': 'text/plain',
      authorization: `Bearer ${KEY}`,
    });
    expect(res.status).toBe(415);
    expect(res.body.error).toBe('UnsupportedMediaType');
  });
});

/**
 * A client that streams a body far over the limit on `Connection: close` and reads the answer: before
 * this was fixed the receiver closed the socket with the body still arriving, the kernel reset the
 * connection and the client got EPIPE/ECONNRESET instead of the 413.
 */
function streamOversized(
  total: number,
  chunked: boolean,
): Promise<{ readonly answer: string; readonly error?: string }> {
  return new Promise((resolve) => {
    const socket = connect(Number(new URL(base).port), '127.0.0.1');
    let answer = '';
    let error: string | undefined;
    socket.on('data', (d) => {
      answer += d.toString('utf8');
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on('close', () => resolve(error === undefined ? { answer } : { answer, error }));
    const framing = chunked ? 'transfer-encoding: chunked' : `content-length: ${total}`;
    socket.write(
      `POST ${PATH} HTTP/1.1\r\nhost: receiver\r\ncontent-type: application/json\r\n` +
        `authorization: Bearer ${KEY}\r\n${framing}\r\nconnection: close\r\n\r\n`,
    );
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = (): void => {
      while (sent < total) {
        sent += chunk.length;
        const piece = chunked
          ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])
          : chunk;
        if (!socket.write(piece)) {
          socket.once('drain', pump);
          return;
        }
      }
      if (chunked) socket.end('0\r\n\r\n');
      else socket.end();
    };
    pump();
  });
}

describe('oversized bodies', () => {
  it('50 clients streaming 8 MiB (over the 64 KiB limit) each receive 413 JSON, never a reset; nothing dispatched', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 50; i += 1) {
      const { answer, error } = await streamOversized(8 * 1024 * 1024, i % 2 === 1);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 'none';
      const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
      outcomes.push(`${status} ${error ?? 'clean'} ${(JSON.parse(body) as { error: string }).error}`);
    }
    expect(new Set(outcomes)).toEqual(new Set(['413 clean PayloadTooLarge']));
    expect(events).toEqual([]);
  });

  it('fetch with a declared oversized Content-Length gets the 413 body, 20 times in a row', async () => {
    const statuses = new Set<string>();
    for (let i = 0; i < 20; i += 1) {
      const res = await fetch(`${base}${PATH}`, {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${KEY}` },
        body: Buffer.alloc(512 * 1024, 0x61),
      });
      statuses.add(`${res.status} ${((await res.json()) as { error: string }).error}`);
    }
    expect(statuses).toEqual(new Set(['413 PayloadTooLarge']));
    expect(events).toEqual([]);
  });

  it('past the discard limit the answer still goes out first, then the connection closes', async () => {
    const { answer } = await streamOversized(32 * 1024 * 1024, false);
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(events).toEqual([]);
  });
});
