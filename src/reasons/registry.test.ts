import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REASON_PATTERN } from '../errors.ts';
import {
  ApiReasons,
  CliReasons,
  ControllerReasons,
  defaultErrorKind,
  GatewayReasons,
  GIT_REASON_KINDS,
  GitReasons,
  isReason,
  KubeReasons,
  kindOf,
  ManifestReasons,
  REASON_CONDITIONS,
  REASON_PARTS,
  REASONS,
  type Reason,
  ReceiverReasons,
  reasonInfo,
  StandaloneReasons,
  SyncReasons,
} from './index.ts';

const KINDS = ['stalling', 'waiting', 'transient', 'none'];
const entries = Object.entries(REASON_PARTS).flatMap(([part, defs]) =>
  Object.entries(defs).map(([name, entry]) => ({ part, name, ...entry })),
);

describe('reason registry', () => {
  it('defines every name in exactly one part', () => {
    const parts = new Map<string, string[]>();
    for (const e of entries) parts.set(e.name, [...(parts.get(e.name) ?? []), e.part]);
    const twice = [...parts].filter(([, p]) => p.length > 1);
    expect(twice).toEqual([]);
    expect(Object.keys(REASONS).sort()).toEqual([...parts.keys()].sort());
  });

  it.each(entries.map((e) => [e.name, e] as const))('%s is a valid, documented reason', (name, e) => {
    expect(name).toMatch(REASON_PATTERN);
    expect(name).toMatch(/^[A-Z]/);
    expect(KINDS).toContain(e.kind);
    expect(REASON_CONDITIONS).toContain(e.condition);
    expect(e.meaning.trim().length).toBeGreaterThan(10);
    expect(e.meaning).not.toMatch(/[|\n]/);
    expect(REASONS[name as Reason]).toEqual({
      name,
      part: e.part,
      kind: e.kind,
      condition: e.condition,
      meaning: e.meaning,
    });
  });

  it('every component constant maps a registered name to itself', () => {
    const constants = {
      ApiReasons,
      ManifestReasons,
      GitReasons,
      SyncReasons,
      GatewayReasons,
      KubeReasons,
      ReceiverReasons,
      StandaloneReasons,
      CliReasons,
      ControllerReasons,
    };
    for (const [constant, names] of Object.entries(constants)) {
      for (const [key, value] of Object.entries(names)) {
        expect(value, `${constant}.${key}`).toBe(key);
        expect(isReason(value), `${constant}.${key}`).toBe(true);
      }
    }
  });

  it('a reason two components use is one entry, owned by one part', () => {
    expect(reasonInfo(SyncReasons.ProfileInvalid)?.part).toBe('api');
    expect(reasonInfo(GatewayReasons.ApplyFailed)?.part).toBe('sync');
    expect(reasonInfo(StandaloneReasons.SyncFailed)?.part).toBe('api');
    expect(reasonInfo(StandaloneReasons.Paused)?.part).toBe('api');
    expect(reasonInfo(ReceiverReasons.NotFound)?.part).toBe('receiver');
    expect(reasonInfo(KubeReasons.KubeObjectNotFound)?.part).toBe('kube');
    expect(Object.keys(KubeReasons)).not.toContain('NotFound');
  });

  it('GIT_REASON_KINDS is the registry kind of every git reason', () => {
    expect(Object.keys(GIT_REASON_KINDS).sort()).toEqual(Object.keys(GitReasons).sort());
    for (const [name, kind] of Object.entries(GIT_REASON_KINDS)) expect(kindOf(name as Reason)).toBe(kind);
    expect(GIT_REASON_KINDS.RefNotFound).toBe('waiting');
    expect(GIT_REASON_KINDS.GitAuthFailed).toBe('stalling');
    expect(GIT_REASON_KINDS.GitUnreachable).toBe('transient');
  });

  it('an unregistered name is detectable, never silently classified', () => {
    expect(reasonInfo('NotARegisteredReason')).toBeUndefined();
    expect(reasonInfo('constructor')).toBeUndefined();
    expect(isReason('toString')).toBe(false);
    expect(() => kindOf('NotARegisteredReason' as Reason)).toThrow(/unregistered reason/);
    expect(defaultErrorKind('NotARegisteredReason' as Reason)).toBe('transient');
  });

  it('the default error kind is the registry kind, and transient for a reason that is not a failure', () => {
    expect(defaultErrorKind('RefNotFound')).toBe('waiting');
    expect(defaultErrorKind('PathTraversalBlocked')).toBe('stalling');
    expect(defaultErrorKind('GatewayUnreachable')).toBe('transient');
    expect(kindOf('Succeeded')).toBe('none');
    expect(defaultErrorKind('Succeeded')).toBe('transient');
  });

  it('imports nothing but its own files and the types of src/errors.ts', async () => {
    const files = (await readdir(import.meta.dirname)).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    );
    let statements = 0;
    for (const file of files) {
      const text = await readFile(join(import.meta.dirname, file), 'utf8');
      for (const [statement, from] of text.matchAll(/^(?:import|export)\b[^;]*?\bfrom '([^']+)';/gms)) {
        const ok =
          /^\.\/[a-z-]+\.ts$/.test(from ?? '') ||
          (from === '../errors.ts' && /^import type /.test(statement));
        expect(ok, `${file}: ${statement}`).toBe(true);
        statements += 1;
      }
    }
    expect(statements).toBeGreaterThan(20);
  });
});
