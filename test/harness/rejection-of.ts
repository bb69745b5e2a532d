/**
 * The error `promise` rejects with, for asserting on `reason`, `kind` and `message`. Fails the test when the
 * promise resolves or rejects with something that is not an Error.
 */
export async function rejectionOf(
  promise: Promise<unknown>,
): Promise<Error & { reason?: string; kind?: string }> {
  try {
    await promise;
  } catch (e: unknown) {
    if (e instanceof Error) return e;
    throw new Error(`rejected with a non-Error: ${String(e)}`);
  }
  throw new Error('expected the promise to reject, but it resolved');
}
