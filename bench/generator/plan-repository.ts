import { createPrng, hashString, type Prng } from './prng.ts';
import type { FileKind, FileSpec, RepoTree } from './repo-tree.ts';

/**
 * Plans an Ignition 8.3-shaped repository of about `targetFiles` files (pure; no I/O):
 * `projects/<P>/...` with Perspective views, Python script modules, named queries, style classes and
 * Vision windows, and `config/resources/core/<module>/<type>/<name>/` config resources including a few
 * JDBC driver jars. Same `targetFiles` + `seed` → the same tree.
 */
export function planRepository(targetFiles: number, seed: number): RepoTree {
  const prng = createPrng(seed);
  const files = new Map<string, FileSpec>();
  const add = (path: string, kind: FileKind, extra: Partial<FileSpec> = {}): void => {
    files.set(path, { kind, contentSeed: hashString(path, seed), rev: 0, ...extra });
  };
  addConfigResources(prng, Math.round(targetFiles * 0.1), add);
  const projectCount = Math.min(40, Math.max(3, Math.round(targetFiles / 4000)));
  const weights = Array.from({ length: projectCount }, () => 0.5 + prng.next());
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const projects: string[] = [];
  for (let i = 0; i < projectCount; i++) {
    const name = `${prng.pick(AREAS)}${i + 1}_${prng.pick(APP_KINDS)}`;
    projects.push(name);
    const remaining = targetFiles - files.size;
    const budget =
      i === projectCount - 1 ? remaining : Math.round((targetFiles * 0.9 * (weights[i] ?? 1)) / weightSum);
    addProject(prng, `projects/${name}`, budget, add);
  }
  return { files, projects };
}

type AddFile = (path: string, kind: FileKind, extra?: Partial<FileSpec>) => void;

const AREAS = ['Plant', 'Line', 'Site', 'Packaging', 'Utilities', 'Batch', 'Quality', 'Warehouse'];
const APP_KINDS = ['HMI', 'Mobile', 'Reports', 'Global', 'Overview', 'Maintenance'];
const WORDS = ['Pump', 'Valve', 'Tank', 'Motor', 'Conveyor', 'Mixer', 'Boiler', 'Filler', 'Alarm', 'Trend'];
const WORDS2 = ['Detail', 'Overview', 'Faceplate', 'Popup', 'Status', 'Summary', 'Control', 'Setup'];

function resource(add: AddFile, dir: string, payload: readonly [string, FileKind][]): void {
  add(`${dir}/resource.json`, 'resource-json', { files: payload.map(([name]) => name) });
  for (const [name, kind] of payload) add(`${dir}/${name}`, kind);
}

function addConfigResources(prng: Prng, budget: number, add: AddFile): void {
  const root = 'config/resources/core';
  add(`${root}/config-mode.json`, 'config-mode-json');
  const drivers = Math.max(1, Math.round(budget / 2500));
  for (let i = 0; i < drivers; i++) {
    resource(add, `${root}/ignition/database-driver/Driver_${i}`, [
      ['config.json', 'config-json'],
      [`driver-${i}.jar`, 'driver-jar'],
    ]);
  }
  const types = [
    'ignition/database-connection',
    'ignition/tag-provider',
    'com.inductiveautomation.opcua/device',
    'ignition/alarm-notification-profile',
    'ignition/user-source',
    'ignition/identity-provider',
    'ignition/tag-definition',
    'com.inductiveautomation.historian/storage-provider',
  ];
  let n = 0;
  // 2 files per resource (+ 3 for themes); stop once the config budget is spent.
  for (let used = 1 + drivers * 3; used < budget; n++) {
    if (prng.int(20) === 0) {
      resource(add, `${root}/com.inductiveautomation.perspective/themes/theme_${n}`, [
        ['config.json', 'config-json'],
        ['theme.css', 'theme-css'],
      ]);
      used += 3;
    } else {
      resource(add, `${root}/${prng.pick(types)}/${prng.pick(WORDS)}_${n}`, [['config.json', 'config-json']]);
      used += 2;
    }
  }
}

interface ResourceKind {
  readonly weight: number;
  readonly base: string;
  readonly payload: readonly [string, FileKind][];
}

const PROJECT_RESOURCES: readonly ResourceKind[] = [
  {
    weight: 45,
    base: 'com.inductiveautomation.perspective/views',
    payload: [
      ['view.json', 'view-json'],
      ['thumbnail.png', 'thumbnail-png'],
    ],
  },
  { weight: 20, base: 'ignition/script-python', payload: [['code.py', 'code-py']] },
  { weight: 10, base: 'ignition/named-query', payload: [['query.sql', 'query-sql']] },
  {
    weight: 10,
    base: 'com.inductiveautomation.perspective/style-classes',
    payload: [['style.json', 'style-json']],
  },
  {
    weight: 15,
    base: 'com.inductiveautomation.vision/windows',
    payload: [
      ['window.bin', 'window-bin'],
      ['thumbnail.png', 'thumbnail-png'],
    ],
  },
];

function pickKind(prng: Prng): ResourceKind {
  let roll = prng.int(100);
  for (const kind of PROJECT_RESOURCES) {
    if (roll < kind.weight) return kind;
    roll -= kind.weight;
  }
  return PROJECT_RESOURCES[0] as ResourceKind;
}

function addProject(prng: Prng, dir: string, budget: number, add: AddFile): void {
  add(`${dir}/project.json`, 'project-json');
  resource(add, `${dir}/com.inductiveautomation.perspective/page-config`, [['config.json', 'config-json']]);
  resource(add, `${dir}/com.inductiveautomation.perspective/session-props`, [['props.json', 'props-json']]);
  const folders = new Map<string, string[]>();
  let used = 5;
  for (let n = 0; used < budget; n++) {
    const kind = pickKind(prng);
    const known = folders.get(kind.base) ?? [];
    folders.set(kind.base, known);
    // About 15 resources per folder, folders nested up to three levels deep.
    if (known.length === 0 || prng.int(15) === 0) {
      const parent = known.length > 0 && prng.int(3) > 0 ? `${prng.pick(known)}/` : '';
      known.push(parent.split('/').length > 3 ? prng.pick(known) : `${parent}${prng.pick(WORDS)}s_${n}`);
    }
    const name = `${prng.pick(WORDS)}${prng.pick(WORDS2)}_${n}`;
    resource(add, `${dir}/${kind.base}/${prng.pick(known)}/${name}`, kind.payload);
    used += kind.payload.length + 1;
  }
}
