/**
 * A repository URL reduced to host and path, so that the forms one repository goes by compare equal:
 * `https://github.com/Org/App.git`, `git@github.com:org/app`, `ssh://git@github.com/org/app/` →
 * `github.com/org/app`; `file:///srv/repo.git` → `/srv/repo`. Pure; for matching only, never for fetching.
 */
export function normalizeRepoUrl(url: string): string {
  let rest = url.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest);
  if (scheme !== null) {
    rest = rest.slice(scheme[0].length);
  } else {
    // scp-like `user@host:path`
    const scp = /^([^/@:]+@)?([^/:]+):(.*)$/.exec(rest);
    if (scp !== null) rest = `${scp[2] ?? ''}/${scp[3] ?? ''}`;
  }
  rest = rest.replace(/^[^/@]*@/, '');
  rest = rest
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '')
    .replace(/\/+$/, '');
  const slash = rest.indexOf('/');
  // Host names are case-insensitive; paths are compared as hosts like GitHub and GitLab treat them.
  return slash < 0
    ? rest.toLowerCase()
    : `${rest.slice(0, slash).toLowerCase()}${rest.slice(slash).toLowerCase()}`;
}
