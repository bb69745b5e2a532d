import { createServer } from 'node:net';

/**
 * A loopback port that was free a moment ago (listen on 0, close), as envtest's addr.Suggest does. For servers
 * that must be told their port up front (sshd, etcd, kube-apiserver) and for "nothing listens here" tests.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
