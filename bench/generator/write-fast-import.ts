import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlannedCommit } from './plan-change-series.ts';
import { renderFile } from './render-file.ts';

/**
 * Writes the planned commits into the bare repository `gitDir` with one `git fast-import` process
 * (one stream instead of thousands of `git add` calls) and tags each commit `bench/<name>`.
 * Returns commit name → 40-hex SHA.
 */
export async function writeFastImport(
  gitDir: string,
  commits: readonly PlannedCommit[],
): Promise<Map<string, string>> {
  const marksFile = join(gitDir, 'bench-marks');
  const child = spawn('git', ['--git-dir', gitDir, 'fast-import', '--quiet', `--export-marks=${marksFile}`], {
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  const write = async (chunk: Buffer | string): Promise<void> => {
    if (!child.stdin.write(chunk)) await new Promise((resolve) => child.stdin.once('drain', resolve));
  };
  let time = 1735689600;
  for (const [i, commit] of commits.entries()) {
    const message = Buffer.from(`${commit.message}\n`);
    await write(
      `commit refs/heads/main\nmark :${i + 1}\ncommitter ignition-sync bench <bench@example.invalid> ${time} +0000\ndata ${message.length}\n`,
    );
    await write(message);
    for (const op of commit.ops) {
      if (op.op === 'write') {
        const data = renderFile(op.spec);
        await write(`M 100644 inline ${op.path}\ndata ${data.length}\n`);
        await write(data);
        await write('\n');
      } else if (op.op === 'delete') {
        await write(`D ${op.path}\n`);
      } else {
        await write(`R ${op.from} ${op.to}\n`);
      }
    }
    await write('\n');
    time += 3600;
  }
  for (const [i, commit] of commits.entries())
    await write(`reset refs/tags/bench/${commit.name}\nfrom :${i + 1}\n\n`);
  child.stdin.end();
  const code = await exited;
  if (code !== 0) throw new Error(`git fast-import failed with exit code ${code}`);
  const marks = new Map<string, string>();
  for (const line of (await readFile(marksFile, 'utf8')).split('\n')) {
    const [mark, sha] = line.split(' ');
    const commit = commits[Number(mark?.slice(1)) - 1];
    if (commit !== undefined && sha !== undefined) marks.set(commit.name, sha);
  }
  return marks;
}
