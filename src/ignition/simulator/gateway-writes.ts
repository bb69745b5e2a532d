import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';

/** The gateway writing its own files, as a real gateway does while it runs. */
export const GatewayWriteSchema = z.discriminatedUnion('type', [
  /** Touch the gateway's project cache `projects/.resources/<file>`. */
  z.object({ type: z.literal('touch-project-resources'), file: z.string().optional() }),
  /** A UI edit of a core resource: rewrites its resource.json `lastModification` (and config.json if given). */
  z.object({
    type: z.literal('ui-edit'),
    /** `<module>/<type>[/<name>]` under config/resources/core, e.g. `ignition/system-properties`. */
    resource: z.string(),
    config: z.record(z.string(), z.unknown()).optional(),
  }),
  /** Regenerate host-specific files: `config/local/**` and `config/resources/local/**`. */
  z.object({ type: z.literal('regenerate-local') }),
]);
export type GatewayWrite = z.infer<typeof GatewayWriteSchema>;

export interface GatewayWriteRecord {
  readonly time: number;
  readonly type: GatewayWrite['type'];
  /** Posix paths (relative to the data dir) and the exact content written, so tests can check preservation. */
  readonly files: Readonly<Record<string, string>>;
}

/** Computes the files a gateway write produces (reads the current resource for UI edits). */
export async function planGatewayWrite(
  dataDir: string,
  write: GatewayWrite,
  now: number,
): Promise<Record<string, string>> {
  if (write.type === 'touch-project-resources') {
    const file = write.file ?? 'gateway-cache.digest';
    return { [`projects/.resources/${file}`]: `${randomBytes(16).toString('hex')}\n` };
  }
  if (write.type === 'regenerate-local') {
    return {
      'config/local/ignition/gateway-network/uuid.txt': `${randomUUID()}\n`,
      'config/resources/local/config-mode.json': `${JSON.stringify({ title: 'Local', description: `regenerated ${new Date(now).toISOString()}`, enabled: true, inheritable: false }, null, 2)}\n`,
    };
  }
  const base = `config/resources/core/${write.resource.replace(/^\/+|\/+$/g, '')}`;
  const current = await readFile(join(dataDir, base, 'resource.json'), 'utf8')
    .then((t) => JSON.parse(t) as unknown)
    .catch(() => undefined);
  const resource =
    typeof current === 'object' && current !== null
      ? (current as Record<string, unknown>)
      : defaultResource();
  const attributes = { ...(resource.attributes as Record<string, unknown> | undefined) };
  attributes.lastModification = { actor: 'admin', timestamp: new Date(now).toISOString() };
  attributes.lastModificationSignature = randomBytes(32).toString('hex');
  const files: Record<string, string> = {
    [`${base}/resource.json`]: `${JSON.stringify({ ...resource, attributes }, null, 2)}\n`,
  };
  if (write.config !== undefined) files[`${base}/config.json`] = `${JSON.stringify(write.config, null, 2)}\n`;
  return files;
}

export async function writeFiles(dataDir: string, files: Readonly<Record<string, string>>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(dataDir, rel);
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, content);
  }
}

function defaultResource(): Record<string, unknown> {
  return {
    scope: 'A',
    version: 1,
    restricted: false,
    overridable: true,
    files: ['config.json'],
    attributes: { enabled: true },
  };
}
