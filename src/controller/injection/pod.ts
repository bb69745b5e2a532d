import type { V1Container, V1Pod, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { z } from 'zod';

export type { V1Container as Container, V1Pod as Pod, V1Volume as Volume, V1VolumeMount as VolumeMount };

// Only the shape injection reads; the apiserver has validated the rest (admission runs after validation of
// the request body into a Pod, and again after every mutation).
const PodShape = z.looseObject({
  metadata: z.looseObject({ annotations: z.record(z.string(), z.string()).optional() }).optional(),
  spec: z.looseObject({
    containers: z.array(z.looseObject({ name: z.string() })),
    initContainers: z.array(z.looseObject({ name: z.string() })).optional(),
    volumes: z.array(z.looseObject({ name: z.string() })).optional(),
  }),
});

/** The request's object as a Pod, or undefined when it is not shaped like one. */
export function asPod(object: unknown): V1Pod | undefined {
  return PodShape.safeParse(object).success ? (object as V1Pod) : undefined;
}
