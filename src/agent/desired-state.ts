import { DESIRED_STATE_KEY, DesiredState } from '../api/index.ts';
import { OperatorError } from '../errors.ts';
import { AgentReasons } from '../reasons/index.ts';
import type { ConfigMap } from './kube-objects.ts';

export type DesiredStateRead =
  | { readonly kind: 'ok'; readonly desired: DesiredState }
  | { readonly kind: 'missing' }
  | { readonly kind: 'invalid'; readonly error: OperatorError };

const MAX_ISSUES = 5;

/**
 * The desired state in the controller's ConfigMap (`desired.json`), validated with the contract's schema.
 * An absent ConfigMap is `missing` (not published yet, or its IgnitionSync is gone); anything unreadable is
 * `invalid` with a `DesiredStateInvalid` error naming the first problems (never thrown: the agent reports it).
 */
export function readDesiredState(configMap: ConfigMap | undefined): DesiredStateRead {
  if (configMap === undefined) return { kind: 'missing' };
  const name = configMap.metadata?.name ?? '(unnamed)';
  const invalid = (why: string): DesiredStateRead => ({
    kind: 'invalid',
    error: new OperatorError(AgentReasons.DesiredStateInvalid, `desired state ${name}: ${why}`),
  });
  const text = configMap.data?.[DESIRED_STATE_KEY];
  if (text === undefined) return invalid(`has no ${DESIRED_STATE_KEY} key`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e: unknown) {
    return invalid(`${DESIRED_STATE_KEY} is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const parsed = DesiredState.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, MAX_ISSUES)
      .map((i) => `${i.path.length === 0 ? '(root)' : i.path.join('.')}: ${i.message}`);
    return invalid(`${DESIRED_STATE_KEY} does not match the contract: ${issues.join('; ')}`);
  }
  return { kind: 'ok', desired: parsed.data };
}
