#!/usr/bin/env bash
# Builds the integration-test control plane (kube-apiserver + etcd) from Go modules into a cache folder outside the
# work tree. Idempotent: does nothing when the binaries exist and were built from the same go.mod/go.sum/main.go.
#
#   testenv/build.sh            build if missing or outdated; prints the bin dir on the last stdout line
#   testenv/build.sh --print    print the bin dir without building
#   testenv/build.sh --force    rebuild even when the stamp matches
#
# Environment: IGNITION_SYNC_K8S_BIN_DIR overrides the cache folder; XDG_CACHE_HOME is honoured.
set -euo pipefail

K8S_VERSION=v1.37.2
K8S_MINOR=37
ETCD_VERSION=v3.6.16

here="$(cd "$(dirname "$0")" && pwd)"
bin_dir="${IGNITION_SYNC_K8S_BIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ignition-sync/k8s-${K8S_VERSION}-etcd-${ETCD_VERSION}}"

if [ "${1:-}" = "--print" ]; then
  echo "$bin_dir"
  exit 0
fi

# The stamp covers everything that decides what gets built: versions, module files, wrapper sources, this script.
stamp_of() {
  {
    echo "$K8S_VERSION $ETCD_VERSION"
    cat "$here/build.sh" "$here/k8s/go.mod" "$here/k8s/go.sum" "$here/k8s/cmd/kube-apiserver/main.go" \
      "$here/etcd/go.mod" "$here/etcd/go.sum" "$here/etcd/cmd/etcd/main.go"
  } | sha256sum | cut -d' ' -f1
}
want="$(stamp_of)"

if [ "${1:-}" != "--force" ] && [ -x "$bin_dir/kube-apiserver" ] && [ -x "$bin_dir/etcd" ] &&
  [ "$(cat "$bin_dir/stamp" 2>/dev/null || true)" = "$want" ]; then
  echo "testenv: control plane up to date in $bin_dir" >&2
  echo "$bin_dir"
  exit 0
fi

# Go's usual install folder, for shells whose PATH lacks it (a fresh login, CI).
command -v go >/dev/null || PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null || {
  echo "testenv: go >= 1.26 not found (needed once to build kube-apiserver and etcd): install it from https://go.dev/dl into /usr/local/go or put it on PATH" >&2
  exit 1
}

# Kubernetes v1.37 needs Go >= 1.26.0; the machine's own toolchain is used (no toolchain download).
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-trimpath -mod=readonly -buildvcs=false"
mkdir -p "$bin_dir"
rm -f "$bin_dir/stamp"

start=$(date +%s)
elapsed() { local s=$(($(date +%s) - start)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }

# go build -v names each package as it compiles it; counting them against `go list -deps` gives progress.
# Lines that are not package paths (compiler errors) pass through unchanged.
build_with_progress() { # <name> <module dir> <package> <output> <ldflags>
  local name=$1 dir=$2 pkg=$3 out=$4 ldflags=$5
  local total downloaded
  echo "testenv: $name: listing its packages (downloads the Go modules on first use, about 900 MB for both)" >&2
  total=$(cd "$dir" && go list -deps "$pkg" 2>"$bin_dir/go-list.log" | wc -l) || {
    cat "$bin_dir/go-list.log" >&2
    return 1
  }
  downloaded=$(grep -c '^go: downloading' "$bin_dir/go-list.log" || true)
  if [ "$downloaded" -gt 0 ]; then echo "testenv: $name: $downloaded Go modules downloaded" >&2; fi
  (cd "$dir" && go build -v -ldflags "$ldflags" -o "$out.tmp" "$pkg" 2>&1) | {
    local line done=0 step=0 pct
    while IFS= read -r line; do
      case "$line" in
        "" | *" "* | "#"*) echo "$line" >&2 ;;
        *)
          done=$((done + 1))
          pct=$((done * 100 / total))
          if [ "$pct" -ge $((step + 10)) ] && [ "$pct" -le 100 ]; then
            step=$((pct / 10 * 10))
            echo "testenv: $name ${step}% ($done of $total packages compiled, $(elapsed) so far)" >&2
          fi
          ;;
      esac
    done
  }
  mv "$out.tmp" "$out"
}

echo "testenv: building etcd $ETCD_VERSION and kube-apiserver $K8S_VERSION into $bin_dir, once per machine." >&2
echo "testenv: a cold build takes about 10-25 min on 2 cores (4 GB of disk, 2.5 GB of RAM); later runs reuse it." >&2

build_with_progress etcd "$here/etcd" ./cmd/etcd "$bin_dir/etcd" "-s -w"
echo "testenv: etcd built after $(elapsed)" >&2

ver="-X k8s.io/component-base/version.gitVersion=${K8S_VERSION} -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${K8S_MINOR}"
build_with_progress kube-apiserver "$here/k8s" ./cmd/kube-apiserver "$bin_dir/kube-apiserver" "-s -w $ver"
echo "testenv: kube-apiserver built after $(elapsed)" >&2

"$bin_dir/kube-apiserver" --version >&2
"$bin_dir/etcd" --version >&2
echo "$want" >"$bin_dir/stamp"
echo "$bin_dir"
