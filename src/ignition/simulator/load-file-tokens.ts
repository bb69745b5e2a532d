import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { SimToken } from './token-auth.ts';

const TokenConfigSchema = z.object({
  profile: z
    .looseObject({
      secureChannelRequired: z.boolean().optional(),
      securityLevels: z.array(z.unknown()).optional(),
    })
    .optional(),
  settings: z.looseObject({ tokenHash: z.string() }),
});

/**
 * Loads API keys stored as config resources: `config/resources/{external,core}/ignition/api-token/<name>/config.json`
 * (`settings.tokenHash`, `profile.secureChannelRequired`). External wins over core for the same name. The
 * simulator grants file tokens read+write (security-properties are not modelled).
 */
export async function loadFileTokens(dataDir: string): Promise<SimToken[]> {
  const byName = new Map<string, SimToken>();
  for (const collection of ['core', 'external'] as const) {
    const dir = join(dataDir, 'config', 'resources', collection, 'ignition', 'api-token');
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const parsed = await readFile(join(dir, name, 'config.json'), 'utf8')
        .then((text) => TokenConfigSchema.safeParse(JSON.parse(text)))
        .catch(() => undefined);
      if (parsed?.success !== true) continue;
      byName.set(name, {
        name,
        hash: parsed.data.settings.tokenHash,
        hashRule: 'tokenHash',
        grant: 'write',
        secureChannelRequired: parsed.data.profile?.secureChannelRequired === true,
        source: collection,
      });
    }
  }
  return [...byName.values()];
}
