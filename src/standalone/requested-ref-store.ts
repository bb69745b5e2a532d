import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The standalone stand-in for the `ignition-sync.io/requested-ref` annotation: the ref a webhook asked for,
 * kept across restarts (a restart must not roll gateways back to `spec.git.ref`). It remembers the
 * `spec.git.ref` it was requested under; once the config's ref changes, the config wins again.
 */
export const RequestedRef = z.object({
  ref: z.string(),
  specRef: z.string(),
  requestedAt: z.string(),
  requestedBy: z.string(),
});
export type RequestedRef = z.output<typeof RequestedRef>;

export class RequestedRefStore {
  readonly #dir: string;

  constructor(stateDir: string) {
    this.#dir = join(stateDir, 'requested-refs');
  }

  #file(namespace: string, name: string): string {
    return join(this.#dir, `${namespace}.${name}.json`);
  }

  /**
   * The stored request, or undefined when there is none, it is unreadable, or the spec ref moved on (then
   * the file is removed: a later return to the old spec ref does not bring the pin back).
   */
  async load(namespace: string, name: string, specRef: string): Promise<RequestedRef | undefined> {
    let text: string;
    try {
      text = await readFile(this.#file(namespace, name), 'utf8');
    } catch {
      return undefined;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return undefined;
    }
    const parsed = RequestedRef.safeParse(json);
    if (!parsed.success) return undefined;
    if (parsed.data.specRef !== specRef) {
      // spec.git.ref changed since the pin was made: the config wins, and the pin is gone for good.
      await this.clear(namespace, name).catch(() => {});
      return undefined;
    }
    return parsed.data;
  }

  /** Stores atomically (temp + rename). */
  async save(namespace: string, name: string, value: RequestedRef): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    const file = this.#file(namespace, name);
    const tmp = `${file}.tmp-${randomUUID()}`;
    await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
    await rename(tmp, file);
  }

  async clear(namespace: string, name: string): Promise<void> {
    await rm(this.#file(namespace, name), { force: true });
  }
}
