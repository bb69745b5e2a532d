import { OperatorError } from '../errors.ts';
import { SyncReasons } from '../reasons/index.ts';

/** The engine found a symlink where it would have to write through it; it refuses (stalling). */
export function symlinkInLiveTree(at: string): OperatorError {
  return new OperatorError(
    SyncReasons.SymlinkInLiveTree,
    `refusing to write below ${at}: it is a symlink in the gateway data directory`,
    { kind: 'stalling', details: { path: at } },
  );
}
