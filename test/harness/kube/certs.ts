import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function openssl(args: string[], cwd: string): Promise<void> {
  await run('openssl', args, { cwd });
}

/** A test CA: PEM files on disk plus the certificate text. */
export interface TestCa {
  readonly certFile: string;
  readonly keyFile: string;
  readonly certPem: string;
}

/** Creates a throwaway ECDSA P-256 CA in `dir` with the openssl CLI. */
export async function createTestCa(dir: string, name = 'ca'): Promise<TestCa> {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  await openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=ignition-sync-test-ca',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  return { certFile, keyFile, certPem: await readFile(certFile, 'utf8') };
}

/** Issues a serving certificate signed by `ca` with SANs IP:127.0.0.1 and DNS:localhost (Go ignores the CN). */
export async function issueServingCert(
  ca: TestCa,
  dir: string,
  name: string,
): Promise<{ certFile: string; keyFile: string }> {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  await writeFile(
    ext,
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n',
  );
  await openssl(
    [
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-keyout',
      keyFile,
      '-out',
      csr,
    ],
    dir,
  );
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      ca.certFile,
      '-CAkey',
      ca.keyFile,
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      ext,
      '-out',
      certFile,
    ],
    dir,
  );
  return { certFile, keyFile };
}

/** RSA key pair for service-account token signing. */
export async function createServiceAccountKeys(dir: string): Promise<{ keyFile: string; pubFile: string }> {
  const keyFile = join(dir, 'sa.key');
  const pubFile = join(dir, 'sa.pub');
  await openssl(['genrsa', '-out', keyFile, '2048'], dir);
  await openssl(['rsa', '-in', keyFile, '-pubout', '-out', pubFile], dir);
  return { keyFile, pubFile };
}
