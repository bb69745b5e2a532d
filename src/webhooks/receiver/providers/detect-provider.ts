import type { WebhookHeaders } from '../webhook-event.ts';
import { bitbucketProvider } from './bitbucket.ts';
import { genericProvider } from './generic.ts';
import { forgejoProvider, giteaProvider } from './gitea.ts';
import { githubProvider } from './github.ts';
import { gitlabProvider } from './gitlab.ts';
import type { WebhookProvider } from './webhook-provider.ts';

/**
 * Providers in match order. Forgejo sends Gitea's and GitHub's headers too and Gitea sends GitHub's, so the
 * more specific sender comes first; the generic `{"ref"}` provider matches everything else.
 */
export const PROVIDERS: readonly WebhookProvider[] = [
  forgejoProvider,
  giteaProvider,
  gitlabProvider,
  githubProvider,
  bitbucketProvider,
  genericProvider,
];

/** The provider whose headers the request carries (never undefined: generic is the fallback). */
export function detectProvider(headers: WebhookHeaders): WebhookProvider {
  return PROVIDERS.find((p) => p.matches(headers)) ?? genericProvider;
}
