#!/usr/bin/env bash
# The upstream Gateway API conformance suite against Tollgate on the single-node cluster of
# tools/cluster.sh (docs/conformance.md):
#
#   tools/conformance.sh build     builds the suite (tools/conformance/conformance_test.go over
#                                  sigs.k8s.io/gateway-api/conformance) and its echo backend from
#                                  the Go module, the echo backend into an image tarball, and the
#                                  helm CLI
#   tools/conformance.sh run       build, then: a cluster with the gateway, operator, Redis and echo
#                                  images, the Gateway API CRDs, `helm install` of the chart with a
#                                  GatewayClass, the GATEWAY-HTTP profile; the report goes to
#                                  $REPORT_DIR (default target/conformance) with the suite's log
#
# `make conformance` runs it (after `make build`). Needs root, like tools/cluster.sh.
set -euo pipefail

TOOLS_DIR="$(cd "$(dirname "$0")" && pwd)"
REPO_DIR="$(cd "$TOOLS_DIR/.." && pwd)"
# shellcheck source=tools/cache-layout.sh
source "$TOOLS_DIR/cache-layout.sh"

log() { printf '[conformance] %s\n' "$*" >&2; }
die() { printf '[conformance] ERROR: %s\n' "$*" >&2; exit 1; }

SUITE_DIR="$BUILD_DIR/gateway-api-$GATEWAY_API_VERSION/suite"
ECHO_DIR="$BUILD_DIR/gateway-api-$GATEWAY_API_VERSION/echo-basic"
ECHO_TAR="$IMAGES_DIR/echo-basic.tar"
ECHO_REF="tollgate.test/echo-basic:v$GATEWAY_API_VERSION"
HELM_VERSION=3.21.4
HELM_BIN="$BUILD_DIR/helm-$HELM_VERSION/helm"
GATEWAY_CLASS=tollgate-conformance
REPORT_DIR="${REPORT_DIR:-$REPO_DIR/target/conformance}"
# Per test the suite waits up to a minute or two; the whole core profile stays well inside this.
SUITE_TIMEOUT=90m

build() {
  command -v go >/dev/null || die "building the suite needs Go"
  mkdir -p "$SUITE_DIR" "$ECHO_DIR" "$IMAGES_DIR"
  if [ ! -x "$SUITE_DIR/conformance.test" ] \
    || [ "$TOOLS_DIR/conformance/conformance_test.go" -nt "$SUITE_DIR/conformance.test" ]; then
    log "building the conformance suite v$GATEWAY_API_VERSION from its Go module"
    cp "$TOOLS_DIR/conformance/conformance_test.go" "$SUITE_DIR/"
    (
      cd "$SUITE_DIR"
      [ -f go.mod ] || go mod init tollgate.local/conformance >/dev/null 2>&1
      go get "sigs.k8s.io/gateway-api@v$GATEWAY_API_VERSION" >/dev/null
      go mod tidy >/dev/null
      CGO_ENABLED=0 go test -c -o conformance.test .
    ) || die "building the suite failed (see the Go output above)"
  fi
  if [ ! -f "$ECHO_TAR" ]; then
    log "building the echo backend v$GATEWAY_API_VERSION from its Go module"
    (
      cd "$ECHO_DIR"
      [ -f go.mod ] || go mod init tollgate.local/echo-basic >/dev/null 2>&1
      # the package, not the module root: only then does go.sum get the echo server's own
      # dependencies (golang.org/x/net, grpc)
      go get "sigs.k8s.io/gateway-api/conformance/echo-basic@v$GATEWAY_API_VERSION" >/dev/null
      CGO_ENABLED=0 go build -o echo-basic -ldflags "-s -w" sigs.k8s.io/gateway-api/conformance/echo-basic
    ) || die "building echo-basic failed (see the Go output above)"
    # shellcheck source=tools/images.sh
    source "$TOOLS_DIR/images.sh"
    IMAGE_REFS[ECHO_BASIC]=$ECHO_REF
    local work
    work=$(mktemp -d)
    static_binary_image "$work/rootfs" "$ECHO_DIR/echo-basic" ECHO_BASIC echo-basic.tar
    rm -rf "$work"
  fi
  if [ ! -x "$HELM_BIN" ]; then
    # the helm CLI, the version helm-java embeds (no release binary can be downloaded here)
    log "building helm v$HELM_VERSION from its Go module"
    mkdir -p "$(dirname "$HELM_BIN")"
    (
      cd "$(dirname "$HELM_BIN")"
      [ -f go.mod ] || go mod init tollgate.local/helm >/dev/null 2>&1
      go get "helm.sh/helm/v3/cmd/helm@v$HELM_VERSION" >/dev/null
      CGO_ENABLED=0 go build -o helm -ldflags "-s -w" helm.sh/helm/v3/cmd/helm
    ) || die "building helm failed (see the Go output above)"
  fi
  log "suite: $SUITE_DIR/conformance.test, echo image: $ECHO_TAR ($ECHO_REF), helm: $HELM_BIN"
}

run() {
  build
  local gateway_tar="$REPO_DIR/gateway/target/tollgate-gateway-image.tar"
  local operator_tar="$REPO_DIR/operator/target/tollgate-operator-image.tar"
  [ -f "$gateway_tar" ] && [ -f "$operator_tar" ] || die "no images: run 'make build' first"
  # shellcheck disable=SC1091
  source "$IMAGES_DIR/refs.env"
  mkdir -p "$REPORT_DIR"
  local up name kubeconfig
  up=$("$TOOLS_DIR/cluster.sh" up --owner $$ --image "$gateway_tar" --image "$operator_tar" \
    --image "$IMAGES_DIR/redis.tar" --image "$ECHO_TAR")
  name=$(printf '%s\n' "$up" | sed -n 's/^NAME=//p')
  kubeconfig=$(printf '%s\n' "$up" | sed -n 's/^KUBECONFIG=//p')
  [ -n "$name" ] && [ -n "$kubeconfig" ] || die "no cluster: $up"
  # expanded now: at EXIT the function's locals are gone (and set -u refuses them)
  # shellcheck disable=SC2064
  trap "\"$TOOLS_DIR/cluster.sh\" down \"$name\" >/dev/null 2>&1 || true" EXIT
  export KUBECONFIG=$kubeconfig
  kubectl apply --server-side -f "$GATEWAY_API_CRDS_DIR" >/dev/null
  kubectl wait --for=condition=Established --timeout=120s crd --all >/dev/null
  local tag redis_repo redis_tag
  tag=$(sed -n 's|.*<version>\(.*-SNAPSHOT\)</version>.*|\1|p' "$REPO_DIR/pom.xml" | head -n 1)
  redis_repo=${REDIS%:*} redis_tag=${REDIS##*:}
  log "installing the chart (GatewayClass $GATEWAY_CLASS)"
  kubectl create namespace tollgate-system >/dev/null
  helm_args=(
    --set "gateway.image.tag=$tag" --set gateway.image.pullPolicy=Never
    --set "operator.image.tag=$tag" --set operator.image.pullPolicy=Never
    --set "redis.bundled.image.repository=$redis_repo" --set "redis.bundled.image.tag=$redis_tag"
    --set redis.bundled.image.pullPolicy=Never
    --set gateway.autoscaling.enabled=false --set gateway.replicas=1 --set operator.replicas=1
    --set gatewayAPI.gatewayClass.create=true --set "gatewayAPI.gatewayClass.name=$GATEWAY_CLASS"
    # HTTPS listeners: the operator bundles their certificates, the gateway pods mount the bundle
    --set gatewayAPI.listenerCertificates.enabled=true
    # the suite needs no access stream; leaving the analytics service out spares its image and pods
    --set analytics.enabled=false
  )
  "$HELM_BIN" install tollgate "$REPO_DIR/helm/tollgate" -n tollgate-system "${helm_args[@]}" --wait --timeout 10m
  log "running the GATEWAY-HTTP profile (log: $REPORT_DIR/suite.log)"
  local supported=Gateway,HTTPRoute,ReferenceGrant,HTTPRouteQueryParamMatching,HTTPRouteMethodMatching,HTTPRouteResponseHeaderModification,HTTPRouteSchemeRedirect,HTTPRouteHostRewrite,HTTPRoutePathRewrite,HTTPRoutePathRedirect,HTTPRoutePortRedirect
  set +e
  ECHO_IMAGE=$ECHO_REF COREDNS_IMAGE=$COREDNS timeout "$SUITE_TIMEOUT" "$SUITE_DIR/conformance.test" -test.v -test.timeout "$SUITE_TIMEOUT" \
    -gateway-class "$GATEWAY_CLASS" -conformance-profiles GATEWAY-HTTP \
    -supported-features "$supported" -cleanup-base-resources=false \
    -organization tollgate -project tollgate -url https://tollgate.dev -version "$tag" \
    -contact tollgate -report-output "$REPORT_DIR/report.yaml" >"$REPORT_DIR/suite.log" 2>&1
  local rc=$?
  set -e
  grep -E '^\s*--- (PASS|FAIL|SKIP)' "$REPORT_DIR/suite.log" | sed 's/^ *//' | sort | uniq -c | sort -rn >&2 || true
  log "suite exited $rc; report: $REPORT_DIR/report.yaml"
  return $rc
}

case ${1:-} in
  build) build ;;
  run) run ;;
  *) die "usage: tools/conformance.sh build|run" ;;
esac
