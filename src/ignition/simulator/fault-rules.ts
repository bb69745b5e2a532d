import { z } from 'zod';

/** What an injected fault does to a matching request. */
export const FaultActionSchema = z.discriminatedUnion('type', [
  /** Answer with this status in the route's real body style (Jetty HTML on /data/api/v1). */
  z.object({ type: z.literal('status'), status: z.number().int().min(100).max(599) }),
  /** Delay the real answer. */
  z.object({ type: z.literal('latency'), ms: z.number().int().min(0) }),
  /** Never answer (until the simulator closes). */
  z.object({ type: z.literal('hang') }),
  /** Reset the TCP connection without an answer. */
  z.object({ type: z.literal('reset') }),
]);
export type FaultAction = z.infer<typeof FaultActionSchema>;

export const FaultRuleInputSchema = z.object({
  /** Path prefix (`/data/api/v1/scan/config`) or `*` for every route of the gateway port. */
  path: z.string().min(1),
  /** HTTP method; any when absent. */
  method: z.string().optional(),
  /** Apply to the next N matching calls only; always when absent. */
  times: z.number().int().min(1).optional(),
  /** Apply with this probability (0..1) to each matching call. */
  probability: z.number().min(0).max(1).optional(),
  action: FaultActionSchema,
});
export type FaultRuleInput = z.infer<typeof FaultRuleInputSchema>;

export interface FaultRule extends FaultRuleInput {
  readonly id: string;
  /** Calls this rule has fired on. */
  hits: number;
}

/**
 * Pure selection: the first rule that matches the request and fires (times not exhausted, probability
 * drawn) — its `hits` is incremented. Exhausted rules stay listed so tests can read their hit counts.
 */
export function selectFault(
  rules: readonly FaultRule[],
  method: string,
  path: string,
  random: () => number,
): FaultRule | undefined {
  for (const rule of rules) {
    if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
    if (rule.path !== '*' && !path.startsWith(rule.path)) continue;
    if (rule.times !== undefined && rule.hits >= rule.times) continue;
    if (rule.probability !== undefined && random() >= rule.probability) continue;
    rule.hits += 1;
    return rule;
  }
  return undefined;
}
