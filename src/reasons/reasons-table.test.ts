import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REASONS, renderReasonsTable, withReasonsTable } from './index.ts';

describe('README reason table', () => {
  it('lists every registered reason as the registry defines it (node scripts/gen-reasons-table.ts)', async () => {
    const readme = await readFile(join(import.meta.dirname, 'README.md'), 'utf8');
    expect(withReasonsTable(readme), 'the table is stale: run node scripts/gen-reasons-table.ts').toBe(
      readme,
    );
  });

  it('has one row per reason', () => {
    const rows = renderReasonsTable().split('\n').slice(2);
    expect(rows).toHaveLength(Object.keys(REASONS).length);
    expect(rows[0]).toMatch(/^\| `Succeeded` +\| api +\| none +\| Ready +\| /);
  });

  it('is undefined for a README without the markers', () => {
    expect(withReasonsTable('# no table here\n')).toBeUndefined();
  });
});
