#!/usr/bin/env bash
# Builds the `helm` CLI from its Go module (helm.sh/helm/v4) into a cache folder outside the work tree, for the chart
# tests (test/integration/helm-chart.test.ts). Idempotent: does nothing when the binary exists and was built from the
# same go.mod/go.sum and this script.
#
#   testenv/build-helm.sh            build if missing or outdated; prints the binary's path on the last stdout line
#   testenv/build-helm.sh --print    print the binary's path without building
#   testenv/build-helm.sh --force    rebuild even when the stamp matches
#
# Environment: IGNITION_SYNC_HELM_BIN_DIR overrides the cache folder; XDG_CACHE_HOME is honoured.
set -euo pipefail

HELM_VERSION=v4.3.2

here="$(cd "$(dirname "$0")" && pwd)"
bin_dir="${IGNITION_SYNC_HELM_BIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ignition-sync/helm-${HELM_VERSION}}"
helm="$bin_dir/helm"

if [ "${1:-}" = "--print" ]; then
  echo "$helm"
  exit 0
fi

# The stamp covers everything that decides what gets built: the version, the module files, this script.
want="$({
  echo "$HELM_VERSION"
  cat "$here/build-helm.sh" "$here/helm/go.mod" "$here/helm/go.sum"
} | sha256sum | cut -d' ' -f1)"

if [ "${1:-}" != "--force" ] && [ -x "$helm" ] && [ "$(cat "$bin_dir/stamp" 2>/dev/null || true)" = "$want" ]; then
  echo "testenv: helm $HELM_VERSION up to date in $bin_dir" >&2
  echo "$helm"
  exit 0
fi

command -v go >/dev/null || PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null || {
  echo "testenv: go >= 1.26 not found (needed once to build helm for the chart tests): install it from https://go.dev/dl into /usr/local/go or put it on PATH" >&2
  exit 1
}

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-trimpath -mod=readonly -buildvcs=false"
mkdir -p "$bin_dir"
rm -f "$bin_dir/stamp" "$helm.tmp"

start=$(date +%s)
elapsed() { local s=$(($(date +%s) - start)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }

pkg=helm.sh/helm/v4/cmd/helm
echo "testenv: building helm $HELM_VERSION into $bin_dir, once per machine: about 3-8 min on 2 cores, 1.2 GB of build cache, 1 GB of RAM." >&2
echo "testenv: helm: listing its packages (downloads the Go modules on first use)" >&2
total=$(cd "$here/helm" && go list -deps "$pkg" 2>"$bin_dir/go-list.log" | wc -l) || {
  cat "$bin_dir/go-list.log" >&2
  exit 1
}
# go build -v names each package as it compiles it: progress every 10 %. Other lines (compiler errors) pass through.
ldflags="-s -w -X helm.sh/helm/v4/internal/version.version=${HELM_VERSION} -X helm.sh/helm/v4/internal/version.gitTreeState=clean"
(cd "$here/helm" && go build -v -ldflags "$ldflags" -o "$helm.tmp" "$pkg" 2>&1) | {
  done=0 step=0
  while IFS= read -r line; do
    case "$line" in
      "" | *" "* | "#"*) echo "$line" >&2 ;;
      *)
        done=$((done + 1))
        pct=$((done * 100 / total))
        if [ "$pct" -ge $((step + 10)) ] && [ "$pct" -le 100 ]; then
          step=$((pct / 10 * 10))
          echo "testenv: helm ${step}% ($done of $total packages compiled, $(elapsed) so far)" >&2
        fi
        ;;
    esac
  done
}
mv "$helm.tmp" "$helm"
echo "testenv: helm built after $(elapsed)" >&2
"$helm" version >&2
echo "$want" >"$bin_dir/stamp"
echo "$helm"
