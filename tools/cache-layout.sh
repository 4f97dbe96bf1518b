# Sourced by tools/provision.sh and tools/cluster.sh: the versions of what provision.sh builds and
# where it caches them (outside the repository), spelled once.
K8S_VERSION="${TOLLGATE_K8S_VERSION:-1.32.13}"
ETCD_VERSION="${TOLLGATE_ETCD_VERSION:-3.5.35}"
# v0.9.0 is served by the Go proxy but is not a release to build on.
METRICS_SERVER_VERSION=0.8.0
# The Gateway API release whose standard-channel CRDs the tests install (fabric8's
# kubernetes-model-gatewayapi 7.5 models it) and whose conformance suite docs/conformance.md runs.
GATEWAY_API_VERSION=1.4.1
COREDNS_VERSION=1.14.7

CACHE_DIR="${TOLLGATE_CACHE_DIR:-$HOME/.cache/tollgate}"
BUILD_DIR="$CACHE_DIR/build"
IMAGES_DIR="$CACHE_DIR/images"
# kube-apiserver, etcd and kubectl where fabric8 kube-api-test looks for them.
KUBE_BIN_DIR="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/${K8S_VERSION}-linux-amd64"
# kubelet, kube-proxy, kube-scheduler, kube-controller-manager: links to one binary.
NODE_BIN_DIR="$BUILD_DIR/kube-node-$K8S_VERSION"
METRICS_SERVER_BIN="$BUILD_DIR/metrics-server-$METRICS_SERVER_VERSION/metrics-server"
COREDNS_BIN="$BUILD_DIR/coredns-$COREDNS_VERSION/coredns"
# The standard-channel Gateway API CRDs, one YAML per kind, from the Go module.
GATEWAY_API_CRDS_DIR="$BUILD_DIR/gateway-api-$GATEWAY_API_VERSION/crds"
