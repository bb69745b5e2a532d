import { describe, expect, it } from 'vitest';
import { classifyStderr, gitFailure, isRefusedWant } from './classify-failure.ts';
import type { CommandResult } from './command-runner.ts';

const failed = (stderr: string, extra: Partial<CommandResult> = {}): CommandResult => ({
  exitCode: 128,
  stdout: Buffer.alloc(0),
  stderr,
  timedOut: false,
  aborted: false,
  outputTooLarge: false,
  durationMs: 1,
  ...extra,
});

describe('classifyStderr', () => {
  it.each([
    ['Host key verification failed.', 'HostKeyVerificationFailed'],
    ['@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @', 'HostKeyVerificationFailed'],
    ['git@h: Permission denied (publickey).', 'GitAuthFailed'],
    ["fatal: Authentication failed for 'https://h/r.git/'", 'GitAuthFailed'],
    ["fatal: could not read Username for 'https://h': terminal prompts disabled", 'GitAuthFailed'],
    ['remote: HTTP Basic: Access denied', 'GitAuthFailed'],
    ["fatal: repository 'https://h/r.git/' not found", 'GitRepositoryNotFound'],
    ["fatal: '/x.git' does not appear to be a git repository", 'GitRepositoryNotFound'],
    ['ssh: Could not resolve hostname h: Name or service not known', 'GitUnreachable'],
    ['fatal: unable to access: Failed to connect to h port 443: Connection refused', 'GitUnreachable'],
    ['The requested URL returned error: 503', 'GitUnreachable'],
    ['something new and strange', 'GitFetchFailed'],
  ])('%s → %s', (stderr, reason) => {
    expect(classifyStderr(stderr, 'GitFetchFailed')).toBe(reason);
  });

  it('recognises a server refusing an unadvertised object', () => {
    expect(isRefusedWant('fatal: remote error: upload-pack: not our ref 0123')).toBe(true);
    expect(isRefusedWant('error: Server does not allow request for unadvertised object 0123')).toBe(true);
    expect(isRefusedWant('fatal: Authentication failed')).toBe(false);
  });
});

describe('gitFailure', () => {
  it('never carries a secret or URL credentials from git output into the message', () => {
    const token = 'ghp_SuperSecretValue123';
    const e = gitFailure({
      what: `fetch https://x-access-token:${token}@h/r.git`,
      result: failed(
        `fatal: Authentication failed for 'https://x-access-token:${token}@h/r.git/'\nremote: bad ${token}`,
      ),
      secrets: [token],
      fallback: 'GitFetchFailed',
    });
    expect(e.reason).toBe('GitAuthFailed');
    expect(e.kind).toBe('stalling');
    expect(e.message).not.toContain(token);
    expect(e.message).toMatch(/^fetch https:\/\/\[redacted\]@h\/r\.git failed: /);
  });

  it('maps timeouts and aborts before looking at stderr', () => {
    const base = { what: 'ls-remote h', secrets: [], fallback: 'GitCommandFailed' as const, timeoutMs: 50 };
    expect(gitFailure({ ...base, result: failed('', { timedOut: true, exitCode: null }) })).toMatchObject({
      reason: 'GitTimeout',
      kind: 'transient',
    });
    expect(gitFailure({ ...base, result: failed('', { aborted: true, exitCode: null }) }).reason).toBe(
      'GitAborted',
    );
  });
});
