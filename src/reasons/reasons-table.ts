import { REASONS } from './registry.ts';

/** Marks the generated table in src/reasons/README.md. */
export const TABLE_START = '<!-- reasons-table:start (generated: node scripts/gen-reasons-table.ts) -->';
export const TABLE_END = '<!-- reasons-table:end -->';

/** The Markdown table of every reason, in part then definition order: name | part | kind | condition | meaning. */
export function renderReasonsTable(): string {
  const rows = Object.values(REASONS).map((r) => [`\`${r.name}\``, r.part, r.kind, r.condition, r.meaning]);
  const header = ['reason', 'part', 'kind', 'condition', 'meaning'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** `readme` with the text between the markers replaced by the current table; undefined without markers. */
export function withReasonsTable(readme: string): string | undefined {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) return undefined;
  return `${readme.slice(0, start + TABLE_START.length)}\n\n${renderReasonsTable()}\n\n${readme.slice(end)}`;
}
