import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OperatorError } from '../../errors.ts';
import { createSilentLogger } from '../../observability/index.ts';
import { ReceiverReasons } from '../../reasons/index.ts';
import type { WebhookDecision, WebhookEvent } from './webhook-event.ts';
import { WebhookHandler } from './webhook-handler.ts';

const KEY = 'proveit-hmac-key';
const SHA = 'f2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5';

function setup(
  options: { onAccepted?: (e: WebhookEvent) => Promise<WebhookDecision>; bodyLimitBytes?: number } = {},
) {
  const events: WebhookEvent[] = [];
  const handler = new WebhookHandler({
    lookupSecret: async (ns, name) =>
      ns === 'site1' && name === 'proveit-sync' ? Buffer.from(KEY) : undefined,
    onAccepted: async (event) => {
      events.push(event);
      return options.onAccepted === undefined
        ? { accepted: true, ref: event.ref }
        : options.onAccepted(event);
    },
    logger: createSilentLogger(),
    ...(options.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: options.bodyLimitBytes }),
  });
  return { handler, events };
}

function githubPush(ref: string, opts: { key?: string; path?: string; delivery?: string } = {}) {
  const body = JSON.stringify({ ref, after: SHA, deleted: false });
  return {
    method: 'POST',
    path: opts.path ?? '/webhook/site1/proveit-sync',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': opts.delivery ?? `d-${ref}`,
      'x-hub-signature-256': `sha256=${createHmac('sha256', opts.key ?? KEY)
        .update(body)
        .digest('hex')}`,
    },
    body: Buffer.from(body),
  };
}

function bearer(body: string, token = KEY, path = '/webhook/site1/proveit-sync') {
  return {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: Buffer.from(body),
  };
}

describe('WebhookHandler', () => {
  it('signed GitHub tag push → 202 {"accepted":true,"ref"} and one event with provider, ref and commit', async () => {
    const { handler, events } = setup();
    const response = await handler.handle(githubPush('refs/tags/2.0.0'));
    expect(response).toEqual({ status: 202, body: { accepted: true, ref: 'refs/tags/2.0.0' } });
    expect(events).toEqual([
      {
        namespace: 'site1',
        name: 'proveit-sync',
        provider: 'github',
        ref: 'refs/tags/2.0.0',
        refSource: 'tag',
        commit: SHA,
        deliveryId: 'd-refs/tags/2.0.0',
      },
    ]);
  });

  it('unknown target and forged signature answer the same 401, and nothing is dispatched', async () => {
    const { handler, events } = setup();
    const unknown = await handler.handle(githubPush('refs/tags/2.0.0', { path: '/webhook/site1/nope' }));
    const forged = await handler.handle(githubPush('refs/tags/2.0.0', { key: 'guessed' }));
    const unknownWithOwnKey = await handler.handle(
      githubPush('refs/tags/2.0.0', { path: '/webhook/x/y', key: 'k' }),
    );
    expect(unknown.status).toBe(401);
    expect(forged).toEqual(unknown);
    expect(unknownWithOwnKey).toEqual(unknown);
    expect(events).toEqual([]);
  });

  it('an unauthenticated malformed body gets 401, not 400 (no parsing before authentication)', async () => {
    const { handler } = setup();
    const response = await handler.handle(bearer('{not json', 'wrong'));
    expect(response.status).toBe(401);
  });

  it('authenticated malformed body → 400 saying why, without echoing the body', async () => {
    const { handler, events } = setup();
    const response = await handler.handle(bearer('{"ref": "secret-looking-value'));
    expect(response.status).toBe(400);
    expect(response.body.error).toBe(ReceiverReasons.MalformedPayload);
    expect(JSON.stringify(response.body)).not.toContain('secret-looking-value');
    expect(events).toEqual([]);
  });

  it.each([
    '--upload-pack=touch /tmp/pwned',
    'main..evil',
    'refs/heads/a b',
    'ref\nwith-newline',
    '../../etc/passwd',
    'x'.repeat(300),
  ])('hostile ref %j → 400 InvalidRef, nothing dispatched', async (ref) => {
    const { handler, events } = setup();
    const response = await handler.handle(bearer(JSON.stringify({ ref })));
    expect(response).toMatchObject({ status: 400, body: { error: ReceiverReasons.InvalidRef } });
    expect(events).toEqual([]);
  });

  it('accepts a short tag, a branch and a full commit SHA from an explicit {"ref"} body', async () => {
    const { handler, events } = setup();
    for (const ref of ['2.0.0', 'release/2026', SHA]) {
      expect((await handler.handle(bearer(JSON.stringify({ ref })))).status).toBe(202);
    }
    expect(events.map((e) => [e.ref, e.refSource, e.provider])).toEqual([
      ['2.0.0', 'explicit', 'generic'],
      ['release/2026', 'explicit', 'generic'],
      [SHA, 'explicit', 'generic'],
    ]);
  });

  it('a repeated delivery ID is answered from the cache without a second dispatch', async () => {
    const { handler, events } = setup();
    const first = await handler.handle(githubPush('refs/tags/2.0.0', { delivery: 'same' }));
    const again = await handler.handle(githubPush('refs/tags/2.0.0', { delivery: 'same' }));
    const concurrent = await Promise.all([
      handler.handle(githubPush('refs/tags/2.0.1', { delivery: 'c' })),
      handler.handle(githubPush('refs/tags/2.0.1', { delivery: 'c' })),
    ]);
    expect(first.status).toBe(202);
    expect(again).toEqual({ status: 202, body: { accepted: true, ref: 'refs/tags/2.0.0', duplicate: true } });
    expect(concurrent.map((r) => r.status)).toEqual([202, 202]);
    expect(events.map((e) => e.ref)).toEqual(['refs/tags/2.0.0', 'refs/tags/2.0.1']);
  });

  it('a repeated delivery is not answered from the cache when the first one failed', async () => {
    let calls = 0;
    const { handler } = setup({
      onAccepted: async (e) => {
        calls += 1;
        if (calls === 1) throw new OperatorError('SyncFailed', 'queue closed');
        return { accepted: true, ref: e.ref };
      },
    });
    expect((await handler.handle(githubPush('refs/tags/2.0.0', { delivery: 'r' }))).status).toBe(500);
    expect((await handler.handle(githubPush('refs/tags/2.0.0', { delivery: 'r' }))).status).toBe(202);
  });

  it('an owner decision not to sync → 200 {"accepted":false,"reason"}', async () => {
    const { handler } = setup({
      onAccepted: async () => ({ accepted: false, reason: 'branch dev is not the tracked ref' }),
    });
    expect(await handler.handle(githubPush('refs/heads/dev'))).toEqual({
      status: 200,
      body: { accepted: false, reason: 'branch dev is not the tracked ref' },
    });
  });

  it('a target that vanished after authentication → 404', async () => {
    const { handler } = setup({
      onAccepted: async () => {
        throw new OperatorError(ReceiverReasons.WebhookTargetNotFound, 'gone', { kind: 'stalling' });
      },
    });
    expect((await handler.handle(githubPush('refs/tags/1'))).status).toBe(404);
  });

  it('GET → 405 with Allow: POST and a hint; other paths → 404', async () => {
    const { handler } = setup();
    const get = await handler.handle({ ...bearer('{}'), method: 'GET' });
    expect(get.status).toBe(405);
    expect(get.headers).toEqual({ allow: 'POST' });
    expect(String(get.body.message)).toContain('POST');
    expect((await handler.handle(bearer('{}', KEY, '/hooks/site1/proveit-sync'))).status).toBe(404);
    expect((await handler.handle(bearer('{}', KEY, '/webhook/site1/proveit-sync/extra'))).status).toBe(404);
    expect((await handler.handle(bearer('{}', KEY, '/webhook/Site1/../x'))).status).toBe(404);
  });

  it('oversized body → 413; declared oversized Content-Length → 413 before reading', async () => {
    const { handler, events } = setup({ bodyLimitBytes: 64 });
    const big = bearer(JSON.stringify({ ref: 'main', pad: 'x'.repeat(100) }));
    expect((await handler.handle(big)).status).toBe(413);
    const pre = handler.preflight('POST', '/webhook/site1/proveit-sync', { 'content-length': '65' });
    expect(pre).toMatchObject({ kind: 'respond', response: { status: 413 } });
    expect(events).toEqual([]);
  });

  it('wrong content types → 415 naming the accepted ones; the generic sender may omit Content-Type or send a form', async () => {
    const { handler, events } = setup();
    const text = {
      ...bearer('{"ref":"main"}'),
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${KEY}` },
    };
    const response = await handler.handle(text);
    expect(response.status).toBe(415);
    expect(String(response.body.message)).toContain('application/json');
    const form = {
      ...text,
      headers: { ...text.headers, 'content-type': 'application/x-www-form-urlencoded' },
    };
    const gitlabForm = { ...form, headers: { ...form.headers, 'x-gitlab-event': 'Push Hook' } };
    expect((await handler.handle(gitlabForm)).status).toBe(415);
    expect(events).toEqual([]);
    // curl -d without -H: JSON labelled as a form, or ref=<ref>
    expect((await handler.handle(form)).status).toBe(202);
    expect((await handler.handle({ ...form, body: Buffer.from('ref=2.0.1') })).status).toBe(202);
    const noType = { ...bearer('{"ref":"main"}'), headers: { authorization: `Bearer ${KEY}` } };
    expect((await handler.handle(noType)).status).toBe(202);
    expect(events.map((e) => e.ref)).toEqual(['main', '2.0.1', 'main']);
  });

  it('an empty secret never authenticates (an empty bearer token must not match it)', async () => {
    const handler = new WebhookHandler({
      lookupSecret: async () => Buffer.alloc(0),
      onAccepted: async (e) => ({ accepted: true, ref: e.ref }),
      logger: createSilentLogger(),
    });
    const response = await handler.handle({
      ...bearer('{"ref":"main"}'),
      headers: { authorization: 'Bearer ' },
    });
    expect(response.status).toBe(401);
  });
});
