import { createHmac } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetricsRegistry, IgnitionSyncMetrics } from '../../../src/observability/index.ts';
import { createWebhookReceiver, type WebhookEvent } from '../../../src/webhooks/index.ts';
import { captureLogger } from '../../harness/capture-logger.ts';
import { parsePrometheusText } from '../../harness/prometheus-text.ts';

const KEY = 'receiver-component-key';

let server: Server;
let base: string;
let events: WebhookEvent[];
let log: ReturnType<typeof captureLogger>;
let metrics: IgnitionSyncMetrics;

beforeEach(async () => {
  events = [];
  log = captureLogger();
  metrics = new IgnitionSyncMetrics(createMetricsRegistry({ defaultMetrics: false }));
  server = createServer(
    createWebhookReceiver({
      lookupSecret: async (ns, name) =>
        ns === 'site1' && name === 'proveit-sync' ? Buffer.from(KEY) : undefined,
      onAccepted: async (event) => {
        events.push(event);
        return { accepted: true, ref: event.ref };
      },
      bodyLimitBytes: 1024,
      logger: log.logger,
      metrics,
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function signedGithub(body: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-github-event': 'push',
    'x-github-delivery': 'abc-1',
    'x-hub-signature-256': `sha256=${createHmac('sha256', KEY).update(body).digest('hex')}`,
  };
}

describe('webhook receiver over HTTP', () => {
  it('counts every answer once by verdict and reason, refusals before the body is read included', async () => {
    const url = `${base}/webhook/site1/proveit-sync`;
    const body = JSON.stringify({ ref: 'refs/tags/2.0.0', after: 'a'.repeat(40), deleted: false });
    const answers = await Promise.all([
      fetch(url, { method: 'POST', headers: signedGithub(body), body }),
      fetch(url, {
        method: 'POST',
        headers: { ...signedGithub(body), 'x-hub-signature-256': 'sha256=00' },
        body,
      }),
      fetch(url, { method: 'GET' }),
      fetch(`${base}/nope`, { method: 'POST', body: '{}' }),
      fetch(url, { method: 'POST', headers: signedGithub('x'.repeat(2048)), body: 'x'.repeat(2048) }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([202, 401, 405, 404, 413]);
    const text = parsePrometheusText(await metrics.registry.metrics());
    const counted = text
      .series('ignition_sync_webhook_requests_total')
      .map((s) => `${s.labels.verdict} ${s.labels.reason} ${s.value}`)
      .sort();
    expect(counted).toEqual([
      'accepted  1',
      'not_found NotFound 1',
      'rejected MethodNotAllowed 1',
      'rejected PayloadTooLarge 1',
      'unauthorized Unauthorized 1',
    ]);
  });

  it('a signed GitHub tag push → 202 JSON with the ref; secrets and body are not logged', async () => {
    const body = JSON.stringify({ ref: 'refs/tags/2.0.0', after: 'a'.repeat(40), deleted: false });
    const res = await fetch(`${base}/webhook/site1/proveit-sync`, {
      method: 'POST',
      headers: signedGithub(body),
      body,
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ accepted: true, ref: 'refs/tags/2.0.0' });
    expect(events).toHaveLength(1);
    expect(log.text()).toContain('webhook answered');
    expect(log.text()).not.toContain(KEY);
    expect(log.text()).not.toContain('sha256=');
  });

  it('GET → 405 with Allow: POST', async () => {
    const res = await fetch(`${base}/webhook/site1/proveit-sync`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await res.json()).toMatchObject({ error: 'MethodNotAllowed' });
  });

  it('a chunked body over the limit (no Content-Length) → 413 and nothing dispatched', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        `${base}/webhook/site1/proveit-sync`,
        { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write(`{"ref":"main","pad":"${'x'.repeat(600)}`);
      req.write(`${'y'.repeat(600)}"}`);
      req.end();
    });
    expect(status).toBe(413);
    expect(events).toEqual([]);
  });

  it('a declared Content-Length over the limit → 413; the body is discarded, never dispatched', async () => {
    const body = JSON.stringify({ ref: 'main', pad: 'x'.repeat(2000) });
    const res = await fetch(`${base}/webhook/site1/proveit-sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body,
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'PayloadTooLarge' });
    expect(events).toEqual([]);
  });

  it('a forged signature → 401 whose body does not echo the request', async () => {
    const body = JSON.stringify({ ref: 'refs/tags/evil-marker', after: 'b'.repeat(40) });
    const headers = { ...signedGithub(body), 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` };
    const res = await fetch(`${base}/webhook/site1/proveit-sync`, { method: 'POST', headers, body });
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain('evil-marker');
    expect(events).toEqual([]);
  });
});
