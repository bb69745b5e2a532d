import { describe, expect, it } from 'vitest';
import { jsonPointerSegment, parseAdmissionReview, toAdmissionResponse } from './admission-review.ts';

const review = {
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: {
    uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    namespace: 'ns',
    operation: 'CREATE',
    object: { metadata: { name: 'p' } },
  },
};

describe('admission review', () => {
  it('parses a v1 review and keeps unknown fields', () => {
    const parsed = parseAdmissionReview({
      ...review,
      request: { ...review.request, requestKind: { kind: 'Pod' } },
    });
    expect('request' in parsed && parsed.request.operation).toBe('CREATE');
    expect('request' in parsed && (parsed.request as Record<string, unknown>).requestKind).toEqual({
      kind: 'Pod',
    });
  });

  it('rejects a v1beta1 review naming the field', () => {
    const parsed = parseAdmissionReview({ ...review, apiVersion: 'admission.k8s.io/v1beta1' });
    expect(parsed).toEqual({ error: expect.stringContaining('apiVersion') });
  });

  it('an allowed decision with a patch echoes the uid and base64-encodes the JSON patch', () => {
    const res = toAdmissionResponse('u1', {
      allowed: true,
      patch: [{ op: 'add', path: '/metadata/labels', value: { a: 'b' } }],
    });
    expect(res.response.uid).toBe('u1');
    expect(res.response.patchType).toBe('JSONPatch');
    expect(JSON.parse(Buffer.from(res.response.patch ?? '', 'base64').toString())).toEqual([
      { op: 'add', path: '/metadata/labels', value: { a: 'b' } },
    ]);
  });

  it('a denial carries code and message and no patch', () => {
    const res = toAdmissionResponse('u2', { allowed: false, message: 'spec.x: forbidden' });
    expect(res.response).toEqual({
      uid: 'u2',
      allowed: false,
      status: { code: 403, message: 'spec.x: forbidden' },
    });
  });

  it('escapes JSON pointer segments', () => {
    expect(jsonPointerSegment('ignition-sync.io/inject')).toBe('ignition-sync.io~1inject');
    expect(jsonPointerSegment('a~b')).toBe('a~0b');
  });
});
