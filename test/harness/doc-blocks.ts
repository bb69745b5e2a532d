import { readFile } from 'node:fs/promises';

/** One fenced code block of a Markdown document, named by the `<!-- doc-test: <id> -->` line before it. */
export interface DocBlock {
  readonly id: string;
  /** The fence's info string (`yaml`, `sh`, `text`, …), empty when none. */
  readonly lang: string;
  /** The block's content, without the fences, ending with a newline. */
  readonly text: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
}

const MARKER = /^<!--\s*doc-test:\s*(\S+)\s*-->$/;
const FENCE = /^```(\S*)\s*$/;

/**
 * Every fenced block of `file`. A block without a marker, or a marker used twice, is an error: every example
 * in a checked document must be checked by name.
 */
export async function readDocBlocks(file: string): Promise<DocBlock[]> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const blocks: DocBlock[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (open === null) continue;
    const end = lines.findIndex((l, j) => j > i && l.trimEnd() === '```');
    if (end < 0) throw new Error(`${file}:${i + 1}: unclosed code block`);
    const marker = MARKER.exec(
      lines
        .slice(0, i)
        .findLast((l) => l.trim() !== '')
        ?.trim() ?? '',
    );
    if (marker?.[1] === undefined) {
      throw new Error(`${file}:${i + 1}: code block without a <!-- doc-test: <id> --> line before it`);
    }
    if (seen.has(marker[1])) throw new Error(`${file}:${i + 1}: doc-test id ${marker[1]} used twice`);
    seen.add(marker[1]);
    blocks.push({
      id: marker[1],
      lang: open[1] ?? '',
      text: `${lines.slice(i + 1, end).join('\n')}\n`,
      line: i + 1,
    });
    i = end;
  }
  return blocks;
}

/** The `curl` commands of a shell block, each with its `\`-continued lines joined. */
export function curlCommands(block: DocBlock): string[] {
  const joined = block.text.replace(/\\\n\s*/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('curl '));
}
