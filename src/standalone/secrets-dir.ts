import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OperatorError } from '../errors.ts';
import { StandaloneReasons } from '../reasons/index.ts';

export interface SecretRef {
  readonly name: string;
  readonly key: string;
}

const SAFE_SEGMENT = /^[-._a-zA-Z0-9]+$/;

/**
 * Secrets laid out like a mounted Kubernetes Secret: `<dir>/<secret-name>/<key>`. Names and keys are
 * checked against the Secret grammar (no `/`, no `..`) so a reference can never point outside the folder.
 * Values are read when needed (a rotated file takes effect without restart) and never logged.
 */
export class SecretsDir {
  readonly dir: string | undefined;

  constructor(dir: string | undefined) {
    this.dir = dir;
  }

  /** The file of `ref`; throws SecretNotFound when there is no secrets dir. */
  pathOf(ref: SecretRef): string {
    if (this.dir === undefined) {
      throw new OperatorError(
        StandaloneReasons.SecretNotFound,
        `secret ${ref.name}/${ref.key} is referenced but no --secrets-dir was given`,
        { kind: 'stalling' },
      );
    }
    for (const segment of [ref.name, ref.key]) {
      if (!SAFE_SEGMENT.test(segment) || segment === '.' || segment === '..') {
        throw new OperatorError(
          StandaloneReasons.SecretNotFound,
          `secret reference ${JSON.stringify(segment)} is not a valid name`,
          {
            kind: 'stalling',
          },
        );
      }
    }
    return join(this.dir, ref.name, ref.key);
  }

  /**
   * The value of `ref` with one trailing newline removed (files written with `echo` end in one; a mounted
   * Secret created from a literal does not). Throws SecretNotFound naming the reference, not the value.
   */
  async read(ref: SecretRef): Promise<Buffer> {
    const path = this.pathOf(ref);
    let value: Buffer;
    try {
      value = await readFile(path);
    } catch (e: unknown) {
      throw new OperatorError(
        StandaloneReasons.SecretNotFound,
        `reading secret ${ref.name}/${ref.key} failed: ${path} is not readable`,
        {
          kind: 'stalling',
          cause: e,
        },
      );
    }
    let end = value.length;
    if (end > 0 && value[end - 1] === 0x0a) end -= 1;
    if (end > 0 && value[end - 1] === 0x0d) end -= 1;
    return value.subarray(0, end);
  }
}
