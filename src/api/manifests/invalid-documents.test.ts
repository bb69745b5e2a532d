import { describe, expect, it } from 'vitest';
import {
  INVALID_DOCUMENTS as cases,
  igs,
  m,
  okMapping,
  RELATIVE,
  sp,
} from '../../../test/fixtures/manifests/invalid-documents.ts';
import { parseManifests } from './parse-manifests.ts';
import type { ValidationIssue } from './validation-issue.ts';

describe('invalid documents', () => {
  it('has at least 20 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)('%s', (_name, text, expected) => {
    const { issues, documents } = parseManifests(text, 'bad.yaml');
    expect(issues.map((i) => [i.path, i.message])).toEqual(expected);
    // A document with an issue is never handed to consumers.
    for (const i of issues) expect(documents.map((d) => d.documentIndex)).not.toContain(i.documentIndex);
  });
});

describe('issue locations', () => {
  it('report source, document index, kind, name and the line of the field', () => {
    const second = sp(okMapping + m('shared', '/abs')).replace('name: x', 'name: y');
    const text = `${sp(okMapping)}---\n${second}`;
    // Lines 1-8: first document, 9: "---", 10-13: head of the second, 14-15: spec/mappings, 16-17: first
    // mapping, 18: "- source: shared", 19: "destination: /abs".
    expect(text.split('\n')[18]).toBe('      destination: "/abs"');
    const { issues } = parseManifests(text, 'profiles.yaml');
    expect(issues).toEqual<ValidationIssue[]>([
      {
        source: 'profiles.yaml',
        documentIndex: 1,
        kind: 'SyncProfile',
        name: 'y',
        path: 'spec.mappings[1].destination',
        message: RELATIVE,
        line: 19,
      },
    ]);
  });

  it('skips empty documents and comments-only documents', () => {
    const text = `${igs()}---\n# only a comment\n---\n---\n${sp(okMapping)}---\n`;
    const { issues, documents } = parseManifests(text, 'a.yaml');
    expect(issues).toEqual([]);
    expect(documents.map((d) => [d.kind, d.documentIndex])).toEqual([
      ['IgnitionSync', 0],
      ['SyncProfile', 3],
    ]);
  });

  it('accepts the same name in different namespaces and for different kinds', () => {
    const a = igs().replace('name: x', 'name: x\n  namespace: a');
    const b = igs().replace('name: x', 'name: x\n  namespace: b');
    expect(parseManifests(`${a}---\n${b}---\n${sp(okMapping)}`, 'a.yaml').issues).toEqual([]);
  });
});

describe('hostile YAML', () => {
  it('refuses an alias bomb as one invalid-YAML issue instead of expanding it (or crashing)', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g'].entries()) {
      const prev = String.fromCharCode('a'.charCodeAt(0) + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const set = parseManifests(`${levels.join('\n')}\n`, 'bomb.yaml');
    expect(set.documents).toEqual([]);
    expect(set.issues).toHaveLength(1);
    expect(set.issues[0]).toMatchObject({ source: 'bomb.yaml', documentIndex: 0, line: 1 });
    expect(set.issues[0]?.message).toMatch(/^invalid YAML: .*aliases expand to too much data/);
  });
});
