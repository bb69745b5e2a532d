import { z } from 'zod';
import { API_VERSION, type Kind } from './group-version.ts';

/** A top-level object of this API: `apiVersion` and `kind` fixed, plus the kind's own fields (strict). */
export function apiObject<K extends Kind, Shape extends z.core.$ZodLooseShape>(kind: K, shape: Shape) {
  return z.strictObject({
    apiVersion: z.literal(API_VERSION, `must be "${API_VERSION}"`),
    kind: z.literal(kind),
    ...shape,
  });
}
