// Part of `npm test`, before Vitest: makes sure what the tests run exists on this machine, so a missing tool fails
// the run with one clear line instead of skipped tests or a wall of ENOENT errors.
//   1. System tools the tests use (git with http-backend, the OpenSSH client, openssl, curl, nss_wrapper).
//      Missing ones are installed with apt-get when running as root on Debian/Ubuntu; otherwise each is named
//      with the command that installs it. IGNITION_SYNC_TEST_NO_INSTALL=1 turns the install off.
//   2. The integration tier's kube-apiserver + etcd (testenv/build.sh: compiled once per machine, then cached).
//   3. The `helm` CLI of the chart tests (testenv/build-helm.sh: compiled once per machine, then cached).
import { execFile, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { NSS_WRAPPER_CANDIDATES } from '../src/git/git-home.ts';

const execFileAsync = promisify(execFile);
const isRoot = process.getuid?.() === 0;

interface Prerequisite {
  /** What is looked for, as a user would name it. */
  readonly what: string;
  /** The Debian package that provides it. */
  readonly debianPackage: string;
  /** Which tests need it. */
  readonly neededBy: string;
  present(): Promise<boolean>;
}

async function exists(path: string, mode = constants.F_OK): Promise<boolean> {
  return access(path, mode).then(
    () => true,
    () => false,
  );
}

async function onPath(command: string): Promise<boolean> {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  for (const dir of dirs) if (await exists(join(dir, command), constants.X_OK)) return true;
  return false;
}

async function gitHttpBackend(): Promise<boolean> {
  if (!(await onPath('git'))) return false;
  const { stdout } = await execFileAsync('git', ['--exec-path']);
  return exists(join(stdout.trim(), 'git-http-backend'), constants.X_OK);
}

const PREREQUISITES: readonly Prerequisite[] = [
  {
    what: 'git and git-http-backend',
    debianPackage: 'git',
    neededBy: 'every git, sync and end-to-end test',
    present: gitHttpBackend,
  },
  {
    what: 'ssh and ssh-keygen (OpenSSH client)',
    debianPackage: 'openssh-client',
    neededBy: 'the SSH transport tests (git runs ssh; the test server is in-process)',
    present: async () => (await onPath('ssh')) && (await onPath('ssh-keygen')),
  },
  {
    what: 'openssl',
    debianPackage: 'openssl',
    neededBy: 'the test certificates of the webhook and integration tests',
    present: () => onPath('openssl'),
  },
  {
    what: 'curl',
    debianPackage: 'curl',
    neededBy: 'test/e2e/integration-docs.test.ts (runs the curl lines of docs/integrations)',
    present: () => onPath('curl'),
  },
  {
    what: 'libnss_wrapper.so (nss_wrapper)',
    debianPackage: 'libnss-wrapper',
    neededBy: 'test/component/git/arbitrary-uid.test.ts (SSH under a UID without a passwd entry)',
    present: async () => (await Promise.all(NSS_WRAPPER_CANDIDATES.map((p) => exists(p)))).some(Boolean),
  },
];

async function missingOf(list: readonly Prerequisite[]): Promise<Prerequisite[]> {
  const present = await Promise.all(list.map((p) => p.present()));
  return list.filter((_, i) => present[i] !== true);
}

function run(command: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

async function installWithApt(missing: readonly Prerequisite[]): Promise<void> {
  const packages = [...new Set(missing.map((p) => p.debianPackage))];
  process.stderr.write(
    `test-prereqs: installing Debian packages ${packages.join(', ')} with apt-get (as root)\n`,
  );
  for (const p of missing) process.stderr.write(`test-prereqs:   ${p.debianPackage}: ${p.neededBy}\n`);
  if ((await run('apt-get', ['update', '-qq'])) !== 0) return;
  await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages]);
}

async function ensureSystemTools(): Promise<boolean> {
  let missing = await missingOf(PREREQUISITES);
  if (missing.length === 0) return true;
  const canInstall = isRoot && process.env.IGNITION_SYNC_TEST_NO_INSTALL !== '1' && (await onPath('apt-get'));
  if (canInstall) {
    await installWithApt(missing);
    missing = await missingOf(missing);
  }
  for (const p of missing)
    process.stderr.write(
      `test-prereqs: missing ${p.what}, needed by ${p.neededBy}: install the Debian package with \`sudo apt-get install ${p.debianPackage}\`\n`,
    );
  return missing.length === 0;
}

/** testenv/build.sh prints its own progress and, when Go is missing, one line saying so. */
async function ensureControlPlane(): Promise<boolean> {
  const script = join(import.meta.dirname, '..', 'testenv', 'build.sh');
  const code = await run('bash', [script]);
  if (code !== 0)
    process.stderr.write(`test-prereqs: building the test control plane failed (exit ${code})\n`);
  return code === 0;
}

/** testenv/build-helm.sh, like the control plane: progress lines, one line when Go is missing. */
async function ensureHelm(): Promise<boolean> {
  const code = await run('bash', [join(import.meta.dirname, '..', 'testenv', 'build-helm.sh')]);
  if (code !== 0) process.stderr.write(`test-prereqs: building helm failed (exit ${code})\n`);
  return code === 0;
}

if (!(await ensureSystemTools()) || !(await ensureControlPlane()) || !(await ensureHelm())) process.exit(1);
