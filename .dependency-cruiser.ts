// Import boundaries between the top-level components of src/: the ONE rule table (COMPONENTS below).
// Each folder's README says in words what it "May import"; this table is what is enforced, by
// `npm run lint:imports` (scripts/check-imports.ts, part of `npm run check`) with dependency-cruiser.
// `npx depcruise src` runs the same rules with dependency-cruiser's own reporters.
//
// Checked: every `import … from`, `import type …`, `export … from` and `import('…')` in src/.
// - A component imports only itself, the components in its `mayImport`, and src/reasons (every folder may).
// - An import from another component goes through one of that component's `entries`.
// - The test and demo tooling (TOOLING) is imported only by cli, bin, src/standalone/demo/ and tests, so
//   production code never loads it.
// - Nothing in src/ imports test/, bench/ or scripts/; unit tests (src/**/*.test.ts) may import test/
//   (harness, fixtures) and any component's entry points but cli's and bin's (compatibility tests across
//   components).
import type { IConfiguration, IForbiddenRuleType } from 'dependency-cruiser';

interface Component {
  /** What the component may import besides itself and src/reasons: component names, or every one. */
  readonly mayImport: readonly string[] | 'every component' | 'anything';
  /** Its entry points, relative to its folder (default `index.ts`); a file component is its own entry. */
  readonly entries?: readonly string[];
  /** A component that is one file directly under src/ rather than a folder. */
  readonly file?: string;
}

export const COMPONENTS: Readonly<Record<string, Component>> = {
  observability: { mayImport: [] },
  // OperatorError takes its default kind from the registry; the registry imports only errors.ts's types.
  errors: { file: 'errors.ts', mayImport: ['reasons'] },
  reasons: { mayImport: ['errors'] },
  api: { mayImport: [], entries: ['index.ts', 'crds/index.ts'] },
  git: { mayImport: ['errors', 'observability', 'api'] },
  sync: { mayImport: ['errors', 'observability'] },
  ignition: { mayImport: ['errors', 'observability'], entries: ['index.ts', 'simulator/index.ts'] },
  webhooks: { mayImport: ['api', 'errors', 'observability'] },
  kube: { mayImport: ['errors', 'observability'] },
  'gateway-sync': { mayImport: ['api', 'git', 'sync', 'ignition', 'errors', 'observability'] },
  standalone: {
    mayImport: ['api', 'git', 'sync', 'ignition', 'webhooks', 'gateway-sync', 'errors', 'observability'],
    entries: ['index.ts', 'demo/index.ts'],
  },
  controller: { mayImport: ['api', 'git', 'kube', 'webhooks', 'errors', 'observability'] },
  // The objects that install the operator (RBAC, webhook configuration): pure data from the API's names.
  install: { mayImport: ['api'] },
  agent: { mayImport: ['api', 'git', 'sync', 'ignition', 'gateway-sync', 'kube', 'errors', 'observability'] },
  cli: { mayImport: 'every component' },
  bin: { mayImport: 'anything' },
};

/** Every folder component may import these (src/errors.ts names it in its own row). */
export const IMPORTABLE_BY_EVERY_FOLDER: readonly string[] = ['reasons'];

/** Test and demo tooling: never loaded by production code. */
export const TOOLING: readonly { readonly path: string; readonly what: string }[] = [
  { path: 'src/ignition/simulator/', what: 'the gateway simulator' },
  { path: 'src/standalone/demo/', what: 'the npm start demo' },
];
/** Who may import TOOLING (besides the tooling itself and unit tests). */
export const TOOLING_USERS: readonly string[] = ['src/cli/', 'src/bin/', 'src/standalone/demo/'];

const TEST_FILE = '\\.test\\.ts$';
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const prefix = (path: string): string => `^${escapeRegExp(path)}`;
const componentPath = (name: string): string => {
  const c = COMPONENTS[name];
  if (c === undefined) throw new Error(`.dependency-cruiser.ts: unknown component ${name}`);
  // A file component includes its unit test: errors.ts and errors.test.ts.
  return c.file === undefined
    ? `^src/${escapeRegExp(name)}/`
    : `^src/${escapeRegExp(c.file.replace(/\.ts$/, ''))}(\\.test)?\\.ts$`;
};
const names = Object.keys(COMPONENTS);

function allowedImports(name: string, component: Component): readonly string[] | undefined {
  if (component.mayImport === 'anything') return undefined;
  if (component.mayImport === 'every component') return names.filter((n) => n !== name && n !== 'bin');
  return component.mayImport;
}

function mayImportRule(name: string, component: Component): IForbiddenRuleType | undefined {
  const allowed = allowedImports(name, component);
  if (allowed === undefined) return undefined;
  const extra = component.file === undefined ? IMPORTABLE_BY_EVERY_FOLDER.filter((n) => n !== name) : [];
  return {
    name: `${name}-may-import`,
    comment:
      allowed.length === 0
        ? `${name} may import nothing internal`
        : `${name} may import only ${allowed.join(', ')}`,
    severity: 'error',
    from: { path: componentPath(name), pathNot: TEST_FILE },
    to: { path: '^src/', pathNot: [name, ...allowed, ...extra].map(componentPath) },
  };
}

function entryPointRule(name: string, component: Component): IForbiddenRuleType | undefined {
  if (component.file !== undefined) return undefined;
  const entries = (component.entries ?? ['index.ts']).map((e) => `src/${name}/${e}`);
  return {
    name: `${name}-entry-points`,
    comment: `import ${name} only through ${entries.join(' or ')}`,
    severity: 'error',
    from: { path: '^src/', pathNot: componentPath(name) },
    to: { path: componentPath(name), pathNot: entries.map((e) => `^${escapeRegExp(e)}$`) },
  };
}

const toolingRules = TOOLING.map(
  (t): IForbiddenRuleType => ({
    name: `no-${t.path.replace(/^src\/|\/$/g, '').replace(/\//g, '-')}-in-production`,
    comment: `production code must not import ${t.what} (only ${TOOLING_USERS.join(', ')} and tests may)`,
    severity: 'error',
    from: { path: '^src/', pathNot: [...new Set([...TOOLING_USERS, t.path])].map(prefix).concat(TEST_FILE) },
    to: { path: prefix(t.path) },
  }),
);

const known = names.map(componentPath);

export const RULES: readonly IForbiddenRuleType[] = [
  {
    name: 'unknown-component',
    comment:
      'the importing file is in no component of the rule table in .dependency-cruiser.ts: add it there',
    severity: 'error',
    from: { path: '^src/', pathNot: known },
    to: {},
  },
  {
    name: 'to-unknown-component',
    comment: 'the imported file is in no component of the rule table in .dependency-cruiser.ts',
    severity: 'error',
    from: { path: '^src/' },
    to: { path: '^src/', pathNot: known },
  },
  ...names.flatMap((n) => {
    const c = COMPONENTS[n] as Component;
    return [mayImportRule(n, c), entryPointRule(n, c)].filter((r) => r !== undefined);
  }),
  ...toolingRules,
  {
    name: 'test-imports-cli',
    comment: 'nothing in src/ imports cli or bin except bin, unit tests included',
    severity: 'error',
    from: { path: TEST_FILE, pathNot: ['^src/cli/', '^src/bin/'] },
    to: { path: ['^src/cli/', '^src/bin/'] },
  },
  {
    name: 'outside-src',
    comment: 'code in src/ must not import test/, bench/ or anything else outside src/',
    severity: 'error',
    from: { path: '^src/', pathNot: TEST_FILE },
    to: { dependencyTypes: ['local'], pathNot: '^src/' },
  },
  {
    name: 'test-outside-src',
    comment: 'a unit test in src/ may import test/ (harness, fixtures) but nothing else outside src/',
    severity: 'error',
    from: { path: TEST_FILE },
    to: { dependencyTypes: ['local'], pathNot: ['^src/', '^test/'] },
  },
  {
    name: 'unresolvable',
    comment: 'the import does not resolve to a file, so its boundary cannot be checked',
    severity: 'error',
    from: { path: '^src/' },
    to: { couldNotResolve: true },
  },
];

const config: IConfiguration = {
  forbidden: [...RULES],
  options: {
    // Type-only imports count: a type still couples the two components.
    tsPreCompilationDeps: true,
    doNotFollow: { path: ['^node_modules/', '^(test|bench|scripts)/'] },
  },
};

export default config;
