import { z } from 'zod';
import { Defaults } from './defaults.ts';

export const IMAGE_DIGEST_PATTERN = '^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$';
export const IMAGE_REPOSITORY_PATTERN =
  '^([a-zA-Z0-9.-]+(:[0-9]+)?/)?[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$';
const QUANTITY_PATTERN =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

export const ImageSpec = z.strictObject({
  repository: z
    .string()
    .max(512)
    .regex(
      new RegExp(IMAGE_REPOSITORY_PATTERN),
      'must be an image repository like registry.local:5000/ignition-sync-agent',
    )
    .describe('Image repository of the sync agent.'),
  tag: z
    .string()
    .regex(
      /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/,
      'must be an image tag (letters, digits, "_", ".", "-"; at most 128)',
    )
    .optional()
    .describe('Image tag.'),
  digest: z
    .string()
    .regex(
      new RegExp(IMAGE_DIGEST_PATTERN),
      'must be an image digest "sha256:" followed by 64 lowercase hex digits',
    )
    .optional()
    .describe('Image digest; pins the image (required practice in air-gapped sites). Wins over tag.'),
  pullPolicy: z
    .enum(['Always', 'IfNotPresent', 'Never'], 'must be one of Always, IfNotPresent, Never')
    .default(Defaults.imagePullPolicy)
    .describe('Image pull policy of the agent container.'),
});

/** A resource quantity (`500m`, `128Mi`, `1`), as corev1.ResourceRequirements takes it. */
export const Quantity = z
  .union(
    [
      z.number(),
      z.string().regex(new RegExp(QUANTITY_PATTERN), 'must be a Kubernetes quantity like 500m or 128Mi'),
    ],
    'must be a number or a Kubernetes quantity like 500m or 128Mi',
  )
  .meta({ 'x-ignition-sync-int-or-string': QUANTITY_PATTERN });

export const ResourceRequirements = z.strictObject({
  limits: z.record(z.string(), Quantity).optional(),
  requests: z.record(z.string(), Quantity).optional(),
});

export const AgentSpec = z.strictObject({
  image: ImageSpec.optional().describe("Sync agent image; default: the controller's own version."),
  resources: ResourceRequirements.optional().describe('Resources of the sync agent container.'),
});
