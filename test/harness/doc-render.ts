import { execFile, spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, readFile, rename } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

// testenv/doc-render: a small Go program that renders Argo CD notification templates (text/template + sprig),
// evaluates Argo CD trigger conditions and Kargo expressions (expr-lang) for test/e2e/integration-docs*.test.ts.
// Built once per source version into ~/.cache/ignition-sync/doc-render-<hash>/ (like testenv/build.sh).

const execFileAsync = promisify(execFile);
const SOURCE_DIR = join(import.meta.dirname, '../../testenv/doc-render');
const SOURCES = ['go.mod', 'go.sum', 'main.go'];

async function isExecutable(path: string): Promise<boolean> {
  return access(path, constants.X_OK).then(
    () => true,
    () => false,
  );
}

async function findGo(): Promise<string> {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/local/go/bin']) {
    if (dir !== '' && (await isExecutable(join(dir, 'go')))) return join(dir, 'go');
  }
  throw new Error(
    'doc-render: go >= 1.26 not found (needed to build testenv/doc-render): install it into /usr/local/go or put it on PATH',
  );
}

/** Builds testenv/doc-render if its cached binary is missing or stale; returns the binary's path. */
export async function buildDocRender(): Promise<string> {
  const hash = createHash('sha256');
  for (const f of SOURCES) hash.update(await readFile(join(SOURCE_DIR, f)));
  const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  const dir = join(cache, 'ignition-sync', `doc-render-${hash.digest('hex').slice(0, 16)}`);
  const binary = join(dir, 'doc-render');
  if (await isExecutable(binary)) return binary;
  await mkdir(dir, { recursive: true });
  const go = await findGo();
  // Test files build it in parallel on a fresh machine: each writes its own file and renames it into place.
  const partial = `${binary}.${randomUUID()}.tmp`;
  await execFileAsync(go, ['build', '-o', partial, '.'], {
    cwd: SOURCE_DIR,
    env: {
      ...process.env,
      GOTOOLCHAIN: 'local',
      CGO_ENABLED: '0',
      GOFLAGS: '-trimpath -mod=readonly -buildvcs=false',
    },
  });
  await rename(partial, binary);
  return binary;
}

/** Runs doc-render with one request; resolves with its JSON answer, rejects with its error message. */
export function runDocRender<T>(binary: string, request: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(out) as T);
      else reject(new Error(err.trim() || `doc-render exited ${code}`));
    });
    child.stdin.end(JSON.stringify(request));
  });
}
