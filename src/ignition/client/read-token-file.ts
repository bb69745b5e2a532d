import { readFile } from 'node:fs/promises';
import { OperatorError } from '../../errors.ts';
import { GatewayReasons } from '../../reasons/index.ts';

/** An Ignition API token: the full `name:secret` value the gateway UI shows once. Never log `value`. */
export interface ApiToken {
  /** The key name (the part before the first `:`); safe to log, used as the scan-lock actor. */
  readonly name: string;
  /** The full header value `name:secret`. Secret. */
  readonly value: string;
}

/** Parses the contents of a token file (surrounding whitespace and a trailing newline are ignored). */
export function parseApiToken(text: string, source: string): ApiToken {
  const value = text.trim();
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1 || /\s/.test(value)) {
    throw new OperatorError(
      GatewayReasons.GatewayTokenInvalid,
      `api token in ${source} is not in the 'name:secret' form: copy the full value the gateway shows when the key is created`,
      { kind: 'stalling' },
    );
  }
  return { name: value.slice(0, colon), value };
}

/** Reads a mounted token file. Errors name the file, never its contents. */
export async function readApiTokenFile(path: string): Promise<ApiToken> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e: unknown) {
    throw new OperatorError(
      GatewayReasons.GatewayTokenInvalid,
      `reading api token file ${path}: ${e instanceof Error && 'code' in e ? String(e.code) : 'unreadable'}`,
      { kind: 'stalling', cause: e },
    );
  }
  return parseApiToken(text, path);
}
