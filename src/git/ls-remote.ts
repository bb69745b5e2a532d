/** Parsing and selection over `git ls-remote` output: pure, unit-tested. */

export type RefKind = 'branch' | 'tag' | 'commit' | 'head' | 'ref';

export interface ResolvedRef {
  /** 40-hex commit id; annotated tags are peeled to the commit they point at. */
  readonly commit: string;
  /** `refs/tags/x`, `refs/heads/x`, `HEAD`, other `refs/...`, or the commit itself for a SHA. */
  readonly refName: string;
  readonly kind: RefKind;
}

/** `<oid>\t<refname>` lines → refname → oid (peeled entries keep their `^{}` suffix). */
export function parseLsRemote(output: string): Map<string, string> {
  const refs = new Map<string, string>();
  for (const line of output.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab <= 0) continue;
    const oid = line.slice(0, tab);
    if (!/^[0-9a-f]{40,64}$/.test(oid)) continue;
    refs.set(line.slice(tab + 1), oid);
  }
  return refs;
}

/** The ref names to ask the server about for `ref`, most preferred first. A tag wins over a branch. */
export function candidateRefNames(ref: string): string[] {
  if (ref === 'HEAD') return ['HEAD'];
  if (ref.startsWith('refs/')) return [ref];
  return [`refs/tags/${ref}`, `refs/heads/${ref}`];
}

/** ls-remote patterns for `ref`: the candidates plus their peeled (`^{}`) forms, which need their own pattern. */
export function lsRemotePatterns(ref: string): string[] {
  return candidateRefNames(ref).flatMap((name) => (name === 'HEAD' ? [name] : [name, `${name}^{}`]));
}

function kindOf(refName: string): RefKind {
  if (refName === 'HEAD') return 'head';
  if (refName.startsWith('refs/tags/')) return 'tag';
  if (refName.startsWith('refs/heads/')) return 'branch';
  return 'ref';
}

/** Picks the first candidate present on the server; peels annotated tags. Undefined when none exists. */
export function selectRef(refs: ReadonlyMap<string, string>, ref: string): ResolvedRef | undefined {
  for (const refName of candidateRefNames(ref)) {
    const oid = refs.get(refName);
    if (oid === undefined) continue;
    const peeled = refs.get(`${refName}^{}`);
    return { commit: peeled ?? oid, refName, kind: kindOf(refName) };
  }
  return undefined;
}
