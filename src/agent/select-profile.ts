import type { DesiredState } from '../api/index.ts';
import type { DesignerSessionPolicy } from '../ignition/index.ts';
import type { SyncProfileInput } from '../sync/index.ts';
import type { AgentRouting } from './agent-config.ts';

/** What the agent syncs for its pod, taken from the desired state. */
export interface SelectedProfile {
  /** The engine's routing: the profile's mappings, deployment mode and excludes, or 2-tier `servicePath`. */
  readonly profile: SyncProfileInput;
  readonly designerSessionPolicy: DesignerSessionPolicy;
  /** The profile's `dryRun`: plan and report, write nothing. */
  readonly dryRun: boolean;
  /** The IgnitionSync's or the profile's `paused`: keep the gateway's state. */
  readonly paused: boolean;
}

export type ProfileSelection =
  | { readonly ok: true; readonly selected: SelectedProfile }
  | { readonly ok: false; readonly message: string };

/**
 * Pure: the pod's profile in the desired state. A named profile must be published (`profiles[name]`), else
 * the selection fails (the agent reports `ProfileNotPublished` and waits for the next desired state). 2-tier
 * mode needs no profile: `{servicePath}` with the default designer-session policy (`proceed`).
 */
export function selectProfile(desired: DesiredState, routing: AgentRouting): ProfileSelection {
  if (routing.kind === 'servicePath') {
    return {
      ok: true,
      selected: {
        profile: { servicePath: routing.servicePath },
        designerSessionPolicy: 'proceed',
        dryRun: false,
        paused: desired.paused,
      },
    };
  }
  const spec = desired.profiles[routing.profile];
  if (spec === undefined || !Object.hasOwn(desired.profiles, routing.profile)) {
    const published = Object.keys(desired.profiles);
    return {
      ok: false,
      message: `SyncProfile ${routing.profile} is not in the desired state of ${desired.ignitionSync} (published: ${
        published.length === 0 ? 'none' : published.join(', ')
      })`,
    };
  }
  return {
    ok: true,
    selected: {
      profile: {
        mappings: spec.mappings,
        ...(spec.deploymentMode === undefined ? {} : { deploymentMode: spec.deploymentMode }),
        excludePatterns: spec.excludePatterns,
      },
      designerSessionPolicy: spec.designerSessionPolicy,
      dryRun: spec.dryRun,
      paused: desired.paused || spec.paused,
    },
  };
}
