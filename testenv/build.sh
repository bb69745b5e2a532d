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

command -v go >/dev/null || {
  echo "testenv: go is not installed; it is needed once to build kube-apiserver and etcd" >&2
  exit 1
}

# Kubernetes v1.37 needs Go >= 1.26.0; the machine's own toolchain is used (no toolchain download).
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-trimpath -mod=readonly -buildvcs=false"
mkdir -p "$bin_dir"
rm -f "$bin_dir/stamp"

echo "testenv: building etcd $ETCD_VERSION and kube-apiserver $K8S_VERSION into $bin_dir (a cold build takes long, see testenv/README.md)" >&2
start=$(date +%s)

(cd "$here/etcd" && go build -ldflags "-s -w" -o "$bin_dir/etcd.tmp" ./cmd/etcd)
mv "$bin_dir/etcd.tmp" "$bin_dir/etcd"
echo "testenv: etcd built after $(($(date +%s) - start))s" >&2

ver="-X k8s.io/component-base/version.gitVersion=${K8S_VERSION} -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${K8S_MINOR}"
(cd "$here/k8s" && go build -ldflags "-s -w $ver" -o "$bin_dir/kube-apiserver.tmp" ./cmd/kube-apiserver)
mv "$bin_dir/kube-apiserver.tmp" "$bin_dir/kube-apiserver"
echo "testenv: kube-apiserver built after $(($(date +%s) - start))s" >&2

"$bin_dir/kube-apiserver" --version >&2
"$bin_dir/etcd" --version >&2
echo "$want" >"$bin_dir/stamp"
echo "$bin_dir"
