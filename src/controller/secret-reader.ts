import { OperatorError } from '../errors.ts';
import { isNotFound, type KubeClient, objectPath } from '../kube/index.ts';
import { ApiReasons } from '../reasons/index.ts';

export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

interface SecretObject {
  readonly data?: Readonly<Record<string, string>>;
}

/**
 * Reads one key of a Secret through the API (`get secrets`). The value is returned, never logged; errors
 * name the Secret and key only. A missing Secret is `waiting`: GitOps tools apply a Secret and the objects
 * that use it in any order, so it is retried at the polling interval rather than stalled.
 */
export async function readSecretKey(
  client: KubeClient,
  namespace: string,
  ref: SecretKeyRef,
  signal?: AbortSignal,
): Promise<Buffer> {
  let secret: SecretObject;
  try {
    secret = await client.get<SecretObject>(
      objectPath({ apiVersion: 'v1', plural: 'secrets', namespace, name: ref.name }),
      signal,
    );
  } catch (e: unknown) {
    if (isNotFound(e)) {
      throw new OperatorError(
        ApiReasons.SecretMissing,
        `reading secret ${namespace}/${ref.name} failed: it does not exist`,
        { kind: 'waiting' },
      );
    }
    throw e;
  }
  const value = secret.data?.[ref.key];
  if (value === undefined) {
    throw new OperatorError(
      ApiReasons.SecretMissingKey,
      `reading secret ${namespace}/${ref.name} failed: it has no key ${ref.key}`,
      { kind: 'waiting' },
    );
  }
  return Buffer.from(value, 'base64');
}

/** A value with one trailing newline removed (Secrets made from `echo` output end in one). */
export function trimTrailingNewline(value: Buffer): Buffer {
  let end = value.length;
  if (end > 0 && value[end - 1] === 0x0a) end -= 1;
  if (end > 0 && value[end - 1] === 0x0d) end -= 1;
  return value.subarray(0, end);
}
