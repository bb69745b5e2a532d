import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, redact, redactUrl, secretVariants } from './redact.ts';

describe('redactUrl', () => {
  it.each([
    ['https://user:tok3n@github.com/o/r.git', `https://${REDACTED}@github.com/o/r.git`],
    ['https://tok3n@github.com/o/r.git', `https://${REDACTED}@github.com/o/r.git`],
    ['ssh://git@host:22/r.git', 'ssh://git@host:22/r.git'],
    ['ssh://git:pw12@host/r.git', `ssh://git:${REDACTED}@host/r.git`],
    [
      "fatal: unable to access 'http://a:b@h/r.git/': 401",
      `fatal: unable to access 'http://${REDACTED}@h/r.git/': 401`,
    ],
    ['git@github.com:o/r.git', 'git@github.com:o/r.git'],
  ])('%s → %s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });
});

describe('redact', () => {
  it('masks known secrets anywhere, longest first, and Authorization headers', () => {
    const text = 'token=abcd1234 inside:xxabcd1234yy\n> Authorization: Basic eDphYmNkMTIzNA==\n';
    const out = redact(text, secretVariants('abcd1234', 'x'));
    expect(out).not.toContain('abcd1234');
    expect(out).not.toContain('eDphYmNkMTIzNA==');
    expect(out).toContain(`Authorization: Basic ${REDACTED}`);
  });

  it('never lets a secret of 4+ characters survive, whatever surrounds it', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 4, maxLength: 40 }),
        fc.string(),
        fc.string(),
        (secret, before, after) => {
          fc.pre(!REDACTED.includes(secret));
          expect(redact(`${before}${secret}${after}${secret}`, [secret])).not.toContain(secret);
        },
      ),
    );
  });

  it('leaves text without secrets alone', () => {
    expect(redact('fatal: remote error: not our ref', ['s3cr3t'])).toBe('fatal: remote error: not our ref');
  });
});
