import { describe, expect, it } from 'vitest';
import { DESIRED_STATE_KEY, DesiredState, IgnitionSyncSpec, SyncProfileSpec } from '../api/index.ts';
import { OperatorError } from '../errors.ts';
import {
  buildDesiredState,
  planDesiredStateWrite,
  publishedAuthOf,
  readDesiredState,
} from './desired-state.ts';

const C1 = 'c'.repeat(40);
const owner = {
  apiVersion: 'sync.ignition.io/v1alpha1',
  kind: 'IgnitionSync',
  metadata: { name: 'plant', namespace: 'site1', uid: 'uid-plant' },
};
const spec = IgnitionSyncSpec.parse({
  git: {
    repo: 'git@github.com:acme/plant.git',
    ref: 'v1',
    auth: { sshKey: { secretRef: { name: 'git-ssh', key: 'id' } } },
  },
  gateway: { apiKeySecretRef: { name: 'gw', key: 'token' } },
});
const site = SyncProfileSpec.parse({ mappings: [{ source: 'projects', destination: 'projects' }] });
const area = SyncProfileSpec.parse({ mappings: [{ source: 'area', destination: 'projects' }] });
const desired = () =>
  buildDesiredState({
    ignitionSync: 'plant',
    spec,
    ref: 'v1',
    commit: C1,
    profiles: new Map([
      ['site', site],
      ['area', area],
    ]),
    paused: false,
  });

describe('buildDesiredState', () => {
  it('publishes the contract: commit, Secret references (never values), gateway access, profiles by name', () => {
    const d = desired();
    expect(DesiredState.parse(d)).toEqual(d);
    expect(d).toMatchObject({
      version: 1,
      ignitionSync: 'plant',
      repo: 'git@github.com:acme/plant.git',
      ref: 'v1',
      commit: C1,
      auth: { kind: 'ssh', secretRef: { name: 'git-ssh', key: 'id' } },
      excludePatterns: ['**/.git/', '**/.gitkeep'],
      gateway: { port: 8043, tls: true, apiKeySecretRef: { name: 'gw', key: 'token' } },
      paused: false,
    });
    expect(Object.keys(d.profiles)).toEqual(['area', 'site']);
    expect(JSON.stringify(d)).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('maps each auth kind', () => {
    const token = IgnitionSyncSpec.parse({
      git: {
        repo: 'https://git.example.com/plant.git',
        ref: 'main',
        auth: { token: { secretRef: { name: 't', key: 'k' }, username: 'oauth2' } },
      },
    });
    expect(publishedAuthOf(token.git)).toEqual({
      kind: 'token',
      secretRef: { name: 't', key: 'k' },
      username: 'oauth2',
    });
    expect(
      publishedAuthOf(IgnitionSyncSpec.parse({ git: { repo: 'file:///srv/plant.git', ref: 'main' } }).git),
    ).toEqual({
      kind: 'none',
    });
  });
});

describe('planDesiredStateWrite', () => {
  it('creates an owned, labelled ConfigMap and then writes nothing while the content is the same', () => {
    const plan = planDesiredStateWrite(owner, desired(), undefined);
    expect(plan.kind).toBe('create');
    if (plan.kind !== 'create') return;
    expect(plan.body.metadata).toMatchObject({
      name: 'plant.desired',
      namespace: 'site1',
      labels: {
        'ignition-sync.io/cr-name': 'plant',
        'ignition-sync.io/role': 'desired-state',
        'app.kubernetes.io/managed-by': 'ignition-sync',
      },
      ownerReferences: [
        { kind: 'IgnitionSync', name: 'plant', uid: 'uid-plant', controller: true, blockOwnerDeletion: true },
      ],
    });
    expect(readDesiredState(plan.body)).toEqual(desired());
    const stored = { ...plan.body, metadata: { ...plan.body.metadata, resourceVersion: '5', uid: 'cm' } };
    expect(planDesiredStateWrite(owner, desired(), stored)).toEqual({ kind: 'none' });
  });

  it('updates when the content changed, with the read resourceVersion', () => {
    const created = planDesiredStateWrite(owner, desired(), undefined);
    if (created.kind !== 'create') throw new Error('expected create');
    const stored = { ...created.body, metadata: { ...created.body.metadata, resourceVersion: '5' } };
    const next = planDesiredStateWrite(owner, { ...desired(), paused: true }, stored);
    expect(next.kind).toBe('update');
    expect(next.kind === 'update' && next.body.metadata.resourceVersion).toBe('5');
    const tampered = { ...stored, data: { [DESIRED_STATE_KEY]: '{}' } };
    expect(planDesiredStateWrite(owner, desired(), tampered).kind).toBe('update');
  });

  it('never takes over a ConfigMap another object controls', () => {
    const foreign = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'plant.desired',
        namespace: 'site1',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x', uid: 'other', controller: true },
        ],
      },
    };
    let error: unknown;
    try {
      planDesiredStateWrite(owner, desired(), foreign);
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(OperatorError);
    expect(error).toMatchObject({ reason: 'DesiredStateConflict', kind: 'stalling' });
  });

  it('reads nothing from a ConfigMap without a valid desired state', () => {
    expect(readDesiredState(undefined)).toBeUndefined();
    expect(
      readDesiredState({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'x' },
        data: { [DESIRED_STATE_KEY]: '{"version":2}' },
      }),
    ).toBeUndefined();
  });
});
