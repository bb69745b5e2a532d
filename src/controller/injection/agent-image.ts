import type { IgnitionSync } from '../../api/index.ts';

/**
 * The agent image injected when the IgnitionSync names none (`spec.agent.image` absent). The controller passes
 * its own version's image as `defaultImage`; this constant is the fallback, the released image of this package
 * version (package.json `version`).
 */
export const DEFAULT_AGENT_IMAGE = 'ghcr.io/inductiveautomation/ignition-sync-agent:0.1.0';

/** `repo[:tag]` → tag, or undefined (`registry:5000/x` has a port, not a tag). */
function tagOf(image: string): string | undefined {
  const at = image.indexOf('@');
  const name = at < 0 ? image : image.slice(0, at);
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(colon + 1) : undefined;
}

/**
 * The image reference of the agent: `repository@digest` when a digest is set (a digest pins the image and wins
 * over a tag), `repository:tag`, or, for a repository alone (an air-gapped mirror), the default image's tag on
 * that repository, so a mirror never silently means `latest`.
 */
export function agentImage(
  image: NonNullable<IgnitionSync['spec']['agent']>['image'],
  defaultImage: string,
): string {
  if (image === undefined) return defaultImage;
  if (image.digest !== undefined) return `${image.repository}@${image.digest}`;
  const tag = image.tag ?? tagOf(defaultImage);
  return tag === undefined ? image.repository : `${image.repository}:${tag}`;
}
