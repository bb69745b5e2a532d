import { join } from 'node:path';
import type { SecretKeyRef } from '../api/index.ts';

const SAFE_SEGMENT = /^[-._a-zA-Z0-9]+$/;

/**
 * The file of one mounted Secret key: `<secretsDir>/<secret-name>/<key>`. The contract's schema already
 * limits names and keys to the Secret grammar; `.` and `..` are refused here too, so a reference can never
 * point outside the secrets dir. Only the path: the value is read by whoever uses it, at use.
 */
export function secretFile(secretsDir: string, ref: SecretKeyRef): string {
  for (const segment of [ref.name, ref.key]) {
    if (!SAFE_SEGMENT.test(segment) || segment === '.' || segment === '..') {
      throw new TypeError(`secret reference segment ${JSON.stringify(segment)} is not a valid name`);
    }
  }
  return join(secretsDir, ref.name, ref.key);
}
