#!/usr/bin/env node
// Thin launcher: the CLI is TypeScript run directly by Node 24's type stripping (README, "Runtime").
// `npm ci` installs Node 24 into node_modules/.bin, which `npx`/`npm run` put first on PATH.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `ignition-sync needs Node.js >= 24 (this is ${process.version}); run it as "npx ignition-sync" from the repository\n`,
  );
  process.exit(2);
}
await import('../src/bin/cli.ts');
