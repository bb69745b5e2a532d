import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { writeFiles } from './gateway-writes.ts';

const RESOURCE = (files: string[]): string =>
  `${JSON.stringify({ scope: 'A', version: 1, restricted: false, overridable: true, files, attributes: { lastModification: { actor: 'system', timestamp: '2026-01-01T00:00:00Z' }, lastModificationSignature: '', enabled: true } }, null, 2)}\n`;

const mode = (title: string, parent?: string): string =>
  `${JSON.stringify({ title, description: '', enabled: true, inheritable: true, ...(parent === undefined ? {} : { parent }) }, null, 2)}\n`;

/**
 * Lays out a freshly commissioned 8.3 data dir (section 2 of the contract) when `dataDir` is missing or
 * empty: the gateway-owned files a sync must preserve, plus core/external collections. Returns whether it
 * seeded.
 */
export async function seedDataDir(dataDir: string, gatewayName: string): Promise<boolean> {
  const existing = await readdir(dataDir).catch(() => []);
  if (existing.length > 0) return false;
  await writeFiles(dataDir, {
    'projects/.resources/cache.digest': 'seed\n',
    'config/resources/core/config-mode.json': mode('Core', 'external'),
    'config/resources/external/config-mode.json': mode('External'),
    'config/resources/local/config-mode.json': mode('Local'),
    'config/resources/core/ignition/system-properties/resource.json': RESOURCE(['config.json']),
    'config/resources/core/ignition/system-properties/config.json': `${JSON.stringify({ systemName: gatewayName }, null, 2)}\n`,
    'config/resources/core/ignition/security-properties/resource.json': RESOURCE(['config.json']),
    'config/resources/core/ignition/security-properties/config.json': `${JSON.stringify({ readPermissions: { type: 'AllOf', securityLevels: [] }, writePermissions: { type: 'AllOf', securityLevels: [] } }, null, 2)}\n`,
    'config/local/ignition/gateway-network/uuid.txt': `${randomUUID()}\n`,
    'config/local/ignition/.ignition-license-key': 'trial\n',
    'commissioning.json': `${JSON.stringify({ commissioned: true }, null, 2)}\n`,
    '.ignition-seed-complete': '',
    'var/ignition/modl/.keep': '',
    'db/config.idb': 'sqlite placeholder\n',
  });
  return true;
}
