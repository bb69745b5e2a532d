import { AgentDefaults, type IgnitionSync, PodAnnotations } from '../../api/index.ts';
import type { JsonPatchOperation } from '../../kube/index.ts';
import { jsonPointerSegment } from '../../kube/index.ts';
import { type InjectionReason, InjectionReasons } from '../../reasons/index.ts';
import { agentContainer } from './agent-container.ts';
import { agentSecretNames, agentVolumes } from './agent-volumes.ts';
import { findDataMount } from './data-volume.ts';
import type { Pod } from './pod.ts';
import { readInjectionRequest, wantsInjection } from './pod-annotations.ts';

/** What injection does with one pod. */
export type InjectionPlan =
  /** Not annotated, or the agent is already there (re-invocation): admitted unchanged. */
  | { readonly action: 'none'; readonly why: 'not-annotated' | 'already-injected' }
  | {
      readonly action: 'inject';
      readonly patch: readonly JsonPatchOperation[];
      readonly ignitionSync: string;
    }
  /** Admitted without the agent: the patch only records why, in the `injection-skipped` annotation. */
  | {
      readonly action: 'skip';
      readonly reason: InjectionReason;
      readonly message: string;
      readonly patch: readonly JsonPatchOperation[];
    };

export interface PlanInjectionInput {
  readonly pod: Pod;
  /** The pod's namespace (the request's: a pod from `generateName` may carry none yet). */
  readonly namespace: string;
  readonly lookupIgnitionSync: (namespace: string, name: string) => IgnitionSync | undefined;
  readonly defaultImage: string;
}

const SKIPPED_PATH = `/metadata/annotations/${jsonPointerSegment(PodAnnotations.injectionSkipped)}`;

function hasAgent(pod: Pod): boolean {
  const named = (c: { name: string }) => c.name === AgentDefaults.containerName;
  return (pod.spec?.initContainers ?? []).some(named) || (pod.spec?.containers ?? []).some(named);
}

function skip(reason: InjectionReason, message: string): InjectionPlan {
  return {
    action: 'skip',
    reason,
    message,
    patch: [{ op: 'add', path: SKIPPED_PATH, value: `${reason}: ${message}` }],
  };
}

/** Appends `items` to the array at `path`, creating it when the pod has none. */
function appendAll(path: string, present: boolean, items: readonly unknown[]): JsonPatchOperation[] {
  if (!present) return [{ op: 'add', path, value: items }];
  return items.map((value) => ({ op: 'add' as const, path: `${path}/-`, value }));
}

/**
 * Decides, purely, what the admission webhook does with a pod: nothing (not annotated, already injected),
 * inject the agent (a JSON patch), or admit it without the agent and record why (never deny: a gateway must
 * start even when its sync is misconfigured).
 */
export function planInjection(input: PlanInjectionInput): InjectionPlan {
  const { pod } = input;
  if (!wantsInjection(pod)) return { action: 'none', why: 'not-annotated' };
  if (hasAgent(pod)) return { action: 'none', why: 'already-injected' };
  const request = readInjectionRequest(pod);
  if (typeof request === 'string') return skip(InjectionReasons.InjectionAnnotationsInvalid, request);
  const igs = input.lookupIgnitionSync(input.namespace, request.crName);
  if (igs === undefined)
    return skip(
      InjectionReasons.IgnitionSyncNotFound,
      `IgnitionSync ${input.namespace}/${request.crName} not found; the pod starts without the sync agent (recreate it once the IgnitionSync exists)`,
    );
  const dataMount = findDataMount(pod, request.dataVolume);
  if (typeof dataMount === 'string') return skip(InjectionReasons.DataVolumeNotFound, dataMount);

  const secretNames = agentSecretNames(igs);
  const volumes = agentVolumes(pod, secretNames);
  const taken = new Set((pod.spec?.volumes ?? []).map((v) => v.name));
  const clash = volumes.find((v) => taken.has(v.name));
  if (clash !== undefined)
    return skip(
      InjectionReasons.InjectionConflict,
      `the pod already has a volume named ${clash.name}, which the sync agent needs`,
    );

  const container = agentContainer({
    pod,
    request,
    ignitionSync: igs,
    dataMount,
    secretNames,
    defaultImage: input.defaultImage,
  });
  const patch: JsonPatchOperation[] = [
    // Last: the pod's own init containers (which may seed the data volume) run before the agent starts.
    ...appendAll('/spec/initContainers', pod.spec?.initContainers !== undefined, [container]),
    ...appendAll('/spec/volumes', pod.spec?.volumes !== undefined, volumes),
  ];
  // A projected token needs a service account name. The ServiceAccount admission plugin sets `default`
  // before webhooks run; where it is off, set it the same way, or the apiserver would reject the patched pod.
  if ((pod.spec?.serviceAccountName ?? pod.spec?.serviceAccount ?? '') === '')
    patch.push({ op: 'add', path: '/spec/serviceAccountName', value: 'default' });
  if (pod.metadata?.annotations?.[PodAnnotations.injectionSkipped] !== undefined)
    patch.push({ op: 'remove', path: SKIPPED_PATH });
  return { action: 'inject', patch, ignitionSync: request.crName };
}
