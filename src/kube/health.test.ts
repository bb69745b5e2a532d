import { describe, expect, it } from 'vitest';
import { evaluateHealth } from './health.ts';

describe('evaluateHealth', () => {
  let synced = false;
  const checks = {
    liveness: { ping: () => true },
    readiness: {
      informers: () => synced,
      webhook: () => {
        throw new Error('boom');
      },
    },
  };

  it('/healthz is ok while the process lives', () => {
    expect(evaluateHealth(checks, '/healthz')).toEqual({ code: 200, body: 'ok' });
  });

  it('/readyz is 503 and names the failing checks (a throwing check counts as failed)', () => {
    const res = evaluateHealth(checks, '/readyz');
    expect(res.code).toBe(503);
    expect(res.body).toContain('[-]informers failed');
    expect(res.body).toContain('[-]webhook failed');
  });

  it('/readyz?verbose lists passing checks once all pass', () => {
    synced = true;
    const res = evaluateHealth({ ...checks, readiness: { informers: () => synced } }, '/readyz?verbose');
    expect(res).toEqual({ code: 200, body: '[+]informers ok\nok\n' });
  });

  it('unknown paths are 404', () => {
    expect(evaluateHealth(checks, '/metrics').code).toBe(404);
  });
});
