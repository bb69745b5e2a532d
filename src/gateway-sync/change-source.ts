import type { Change } from '../git/index.ts';

/** `git diff` of two commits of the checkout a sync reads: what changed between `from` and `to`. */
export type ChangeSource = (from: string, to: string) => Promise<readonly Change[]>;

/**
 * Shares each `from..to` diff between the gateways of one round: gateways at the same applied commit then
 * cost one `git diff`, not one each. A failed diff is shared too (every caller falls back to a full plan).
 */
export function sharedChanges(source: ChangeSource): ChangeSource {
  const diffs = new Map<string, Promise<readonly Change[]>>();
  return (from, to) => {
    const key = `${from}..${to}`;
    let diff = diffs.get(key);
    if (diff === undefined) {
      diff = source(from, to);
      diffs.set(key, diff);
    }
    return diff;
  };
}
