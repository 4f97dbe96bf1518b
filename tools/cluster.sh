#!/usr/bin/env bash
# A real single-node Kubernetes on this machine, for the in-cluster tests and for trying the chart
# by hand, built from the binaries and images tools/provision.sh caches (no Docker, no registry):
#
#   tools/cluster.sh up [--name NAME] [--owner PID] [--image TAR]...
#       starts a cluster and prints NAME=..., KUBECONFIG=... (and how to use it) when it is ready;
#       --image imports an image tarball (e.g. gateway/target/tollgate-gateway-image.tar);
#       --owner stops the cluster by itself once process PID has ended (tests pass their JVM)
#   tools/cluster.sh load NAME TAR...   imports more image tarballs into its containerd
#   tools/cluster.sh status [NAME]      what runs, and where its kubeconfig is
#   tools/cluster.sh down NAME | --all  stops it and removes all it made; --all also removes what
#                                       a crashed run left behind
#
# Parts: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubelet and kube-proxy
# (iptables mode) built from the k8s.io/kubernetes Go module; containerd, runc and the CNI bridge
# from Debian; CoreDNS and metrics-server as pods. Service accounts, RBAC, the Node authorizer and
# the aggregation layer (metrics.k8s.io) are real.
#
# Network: every part runs in a network namespace of its own, tollgate-NAME, joined to this host
# by one veth pair. Cluster N owns 10.217.N.0/24: pods in .0/25 on the bridge cni0, Services in
# .128/26, the link in .252/30 (host .253, node .254). The namespace has no default route and no
# masquerading, so nothing in the cluster can send anywhere but the node, its pods and this host;
# kube-proxy's iptables rules live in the namespace and go with it. On the host, the pod and
# Service ranges are routed into the namespace, under a blackhole route for the whole /24: should
# the veth vanish, packets for the cluster are dropped instead of leaving the machine.
#
# Processes run in the cgroup tollgate-NAME (the kubelet's cgroup root, so pods are under it too):
# `down` freezes and kills exactly that tree, unmounts what lies under the cluster's directory and
# deletes the namespace, its routes, cgroups and files.
set -euo pipefail

TOOLS_DIR="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=tools/cache-layout.sh
source "$TOOLS_DIR/cache-layout.sh"

CLUSTERS_DIR="${TOLLGATE_CLUSTERS_DIR:-/tmp/tollgate-clusters}"
NET_PREFIX=10.217
CNI_BIN_DIR=/usr/lib/cni
CGROUP_FS=/sys/fs/cgroup
# Waits for parts on a busy 2-core machine: generous, but each one bounded.
READY_TIMEOUT=180

log() { printf '[cluster] %s\n' "$*" >&2; }
die() { printf '[cluster] ERROR: %s\n' "$*" >&2; exit 1; }

# --- where a cluster's state lives ---------------------------------------------------------------

# cluster_vars NAME: the names and addresses of cluster NAME (reads $D/env once `up` wrote it).
cluster_vars() {
  NAME=$1
  D="$CLUSTERS_DIR/$NAME"
  NETNS="tollgate-$NAME"
  NETNS_PATH="/run/netns/$NETNS"
  HOST_VETH="${NAME}h"
  CGROUP="tollgate-$NAME"
  if [ -f "$D/env" ]; then
    # shellcheck disable=SC1091
    source "$D/env"
    subnet_vars "$INDEX"
  fi
}

# subnet_vars N: the addresses of the cluster that owns $NET_PREFIX.N.0/24.
subnet_vars() {
  INDEX=$1
  local net="$NET_PREFIX.$INDEX"
  SUBNET="$net.0/24"
  POD_CIDR="$net.0/25"
  BRIDGE_IP="$net.1"
  SERVICE_CIDR="$net.128/26"
  KUBERNETES_SERVICE_IP="$net.129"
  DNS_SERVICE_IP="$net.138"
  HOST_IP="$net.253"
  NODE_IP="$net.254"
}

kubectl_admin() { kubectl --kubeconfig "$D/kubeconfig" "$@"; }

# The kubelet sets these machine-wide kernel settings when it starts (its only alternative is to
# refuse to start): the first cluster saves the machine's values, the last one to go restores them.
KUBELET_SYSCTLS=(vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops
  kernel.keys.root_maxkeys kernel.keys.root_maxbytes)
HOST_SYSCTLS="$CLUSTERS_DIR/host-sysctls.conf"

save_host_sysctls() {
  [ -f "$HOST_SYSCTLS" ] || sysctl "${KUBELET_SYSCTLS[@]}" >"$HOST_SYSCTLS"
}

restore_host_sysctls_if_last() {
  local d
  for d in "$CLUSTERS_DIR"/*/; do [ -d "$d" ] && return 0; done
  if [ -f "$HOST_SYSCTLS" ]; then
    sysctl -q -p "$HOST_SYSCTLS" && rm -f "$HOST_SYSCTLS"
  fi
}

# --- up ------------------------------------------------------------------------------------------

require_provisioned() {
  local missing=()
  for f in "$KUBE_BIN_DIR/kube-apiserver" "$KUBE_BIN_DIR/etcd.real" \
    "$NODE_BIN_DIR/kubelet" "$NODE_BIN_DIR/kube-proxy" "$NODE_BIN_DIR/kube-scheduler" \
    "$NODE_BIN_DIR/kube-controller-manager" "$IMAGES_DIR/refs.env" "$IMAGES_DIR/pause.tar" \
    "$IMAGES_DIR/coredns.tar" "$IMAGES_DIR/metrics-server.tar"; do
    [ -e "$f" ] || missing+=("$f")
  done
  for c in containerd ctr runc nsenter iptables openssl kubectl; do
    command -v "$c" >/dev/null || missing+=("$c")
  done
  [ -x "$CNI_BIN_DIR/bridge" ] || missing+=("$CNI_BIN_DIR/bridge")
  [ ${#missing[@]} -eq 0 ] || die "not provisioned (run tools/provision.sh): ${missing[*]}"
  [ "$(id -u)" -eq 0 ] || die "needs root (network namespaces, cgroups, mounts)"
}

# Reserves a free /24 by adding its blackhole route: the add fails if another cluster holds it.
reserve_subnet() {
  local tries index
  for tries in $(seq 1 50); do
    index=$(( (RANDOM % 250) + 1 ))
    if ! ip -4 route show | grep -q "^\(blackhole \)\?$NET_PREFIX\.$index\." \
      && ip route add blackhole "$NET_PREFIX.$index.0/24" 2>/dev/null; then
      subnet_vars "$index"
      return 0
    fi
  done
  die "no free /24 under $NET_PREFIX.0.0/16 (leftovers? tools/cluster.sh down --all)"
}

write_env() {
  cat >"$D/env" <<EOF
INDEX=$INDEX
OWNER_PID=${OWNER_PID:-}
OWNER_START=${OWNER_START:-}
EOF
}

setup_network() {
  ip netns add "$NETNS"
  ip link add "$HOST_VETH" type veth peer name eth0 netns "$NETNS"
  ip addr add "$HOST_IP/30" dev "$HOST_VETH"
  ip link set "$HOST_VETH" up
  ip -n "$NETNS" link set lo up
  ip -n "$NETNS" addr add "$NODE_IP/30" dev eth0
  ip -n "$NETNS" link set eth0 up
  ip route add "$POD_CIDR" via "$NODE_IP" dev "$HOST_VETH"
  ip route add "$SERVICE_CIDR" via "$NODE_IP" dev "$HOST_VETH"
  # Inside the namespace only: the node routes between its pods and Services (kube-proxy DNAT),
  # and bridged pod-to-pod traffic passes iptables so a Service reply is un-NATed.
  in_node sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward; echo 1 > /proc/sys/net/bridge/bridge-nf-call-iptables'
}

in_node() { nsenter --net="$NETNS_PATH" -- "$@"; }

# The cgroup tollgate-NAME in every cgroup v1 hierarchy, with a child `system` for the daemons.
setup_cgroups() {
  local h
  for h in "$CGROUP_FS"/*/; do
    h=${h%/}
    [ -f "$h/cgroup.procs" ] || continue
    [ "$(basename "$h")" = unified ] && continue
    mkdir -p "$h/$CGROUP/system"
    if [ -f "$h/cpuset.cpus" ]; then
      for dir in "$h/$CGROUP" "$h/$CGROUP/system"; do
        cat "$h/cpuset.cpus" >"$dir/cpuset.cpus"
        cat "$h/cpuset.mems" >"$dir/cpuset.mems"
      done
    fi
  done
}

# launch COMPONENT CMD...: runs CMD detached in the node's namespace and cgroup, logging to
# logs/COMPONENT.log; its pid goes to run/COMPONENT.pid.
launch() {
  local component=$1; shift
  (
    for h in "$CGROUP_FS"/*/"$CGROUP"/system; do echo "$BASHPID" >"$h/cgroup.procs"; done
    exec setsid nsenter --net="$NETNS_PATH" -- "$@" </dev/null >>"$D/logs/$component.log" 2>&1
  ) &
  echo $! >"$D/run/$component.pid"
  disown $!
}

# Fails at once, with its log, when a part launched has exited.
check_alive() {
  local f component
  for f in "$D"/run/*.pid; do
    component=$(basename "$f" .pid)
    [ "$component" = watchdog ] && continue
    if ! kill -0 "$(cat "$f")" 2>/dev/null; then
      tail -n 20 "$D/logs/$component.log" >&2
      die "$component has exited (log above: $D/logs/$component.log)"
    fi
  done
}

# cert FILE CN ORG EXTENDED_USAGE SUBJECT_ALT_NAMES CA: an RSA key and certificate (RSA, not EC:
# the Java Kubernetes client reads PKCS#8 client keys of RSA only).
cert() {
  local file=$1 cn=$2 org=$3 usage=$4 sans=$5 ca=$6 subject ext
  subject="/CN=$cn${org:+/O=$org}"
  ext="keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=$usage${sans:+
subjectAltName=$sans}"
  openssl req -new -nodes -newkey rsa:2048 -subj "$subject" \
    -keyout "$file.key" -out "$file.csr" 2>/dev/null
  openssl x509 -req -in "$file.csr" -CA "$ca.crt" -CAkey "$ca.key" -CAcreateserial -days 30 \
    -extfile <(printf '%s\n' "$ext") -out "$file.crt" 2>/dev/null
  rm -f "$file.csr"
}

ca() {
  openssl req -x509 -new -nodes -newkey rsa:2048 -days 30 \
    -subj "/CN=$2" -addext basicConstraints=critical,CA:TRUE \
    -addext keyUsage=critical,keyCertSign,cRLSign -keyout "$1.key" -out "$1.crt" 2>/dev/null
}

# kubeconfig FILE CERT: a kubeconfig for the client certificate CERT, certificates embedded.
kubeconfig() {
  local file=$1 cert=$2
  cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: $NAME
    cluster:
      server: https://$NODE_IP:6443
      certificate-authority-data: $(base64 -w0 <"$D/pki/ca.crt")
users:
  - name: $(basename "$cert")
    user:
      client-certificate-data: $(base64 -w0 <"$cert.crt")
      client-key-data: $(base64 -w0 <"$cert.key")
contexts:
  - name: $NAME
    context: {cluster: $NAME, user: $(basename "$cert")}
current-context: $NAME
EOF
  chmod 0600 "$file"
}

setup_pki() {
  local p="$D/pki"
  mkdir -p "$p"
  chmod 0700 "$p"
  ca "$p/ca" "tollgate-$NAME"
  ca "$p/front-proxy-ca" "tollgate-$NAME-front-proxy"
  cert "$p/apiserver" kube-apiserver "" serverAuth \
    "IP:$NODE_IP,IP:$KUBERNETES_SERVICE_IP,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" \
    "$p/ca"
  cert "$p/kubelet-serving" "system:node:$NAME" system:nodes serverAuth "IP:$NODE_IP,DNS:$NAME" "$p/ca"
  cert "$p/apiserver-kubelet-client" kube-apiserver-kubelet-client system:masters clientAuth "" "$p/ca"
  cert "$p/front-proxy-client" front-proxy-client "" clientAuth "" "$p/front-proxy-ca"
  cert "$p/admin" tollgate-admin system:masters clientAuth "" "$p/ca"
  cert "$p/controller-manager" system:kube-controller-manager "" clientAuth "" "$p/ca"
  cert "$p/scheduler" system:kube-scheduler "" clientAuth "" "$p/ca"
  cert "$p/kubelet" "system:node:$NAME" system:nodes clientAuth "" "$p/ca"
  cert "$p/kube-proxy" system:kube-proxy "" clientAuth "" "$p/ca"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$p/service-accounts.key" 2>/dev/null
  openssl pkey -in "$p/service-accounts.key" -pubout -out "$p/service-accounts.pub"
  kubeconfig "$D/kubeconfig" "$p/admin"
  for c in controller-manager scheduler kubelet kube-proxy; do kubeconfig "$p/$c.kubeconfig" "$p/$c"; done
}

start_control_plane() {
  local p="$D/pki"
  launch etcd "$KUBE_BIN_DIR/etcd.real" --name "$NAME" --data-dir "$D/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster "$NAME=http://127.0.0.1:2380" --listen-metrics-urls http://127.0.0.1:2381 \
    --unsafe-no-fsync
  launch kube-apiserver "$KUBE_BIN_DIR/kube-apiserver" \
    --etcd-servers=http://127.0.0.1:2379 \
    --bind-address="$NODE_IP" --advertise-address="$NODE_IP" --secure-port=6443 \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --tls-cert-file="$p/apiserver.crt" --tls-private-key-file="$p/apiserver.key" \
    --client-ca-file="$p/ca.crt" \
    --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$p/service-accounts.pub" \
    --service-account-signing-key-file="$p/service-accounts.key" \
    --kubelet-client-certificate="$p/apiserver-kubelet-client.crt" \
    --kubelet-client-key="$p/apiserver-kubelet-client.key" \
    --requestheader-client-ca-file="$p/front-proxy-ca.crt" \
    --requestheader-allowed-names=front-proxy-client \
    --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    --proxy-client-cert-file="$p/front-proxy-client.crt" \
    --proxy-client-key-file="$p/front-proxy-client.key" \
    --kubelet-preferred-address-types=InternalIP \
    --enable-aggregator-routing=true --profiling=false
}

# After the API server is ready: started earlier, they exit on RBAC the server has not yet made.
start_controllers() {
  local p="$D/pki"
  # The controller manager and scheduler run alone: no leader election to wait for.
  launch kube-controller-manager "$NODE_BIN_DIR/kube-controller-manager" \
    --kubeconfig="$p/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$p/controller-manager.kubeconfig" \
    --authorization-kubeconfig="$p/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false --cluster-name="$NAME" \
    --use-service-account-credentials=true \
    --service-account-private-key-file="$p/service-accounts.key" --root-ca-file="$p/ca.crt" \
    --cluster-signing-cert-file="$p/ca.crt" --cluster-signing-key-file="$p/ca.key" \
    --allocate-node-cidrs=false --profiling=false
  launch kube-scheduler "$NODE_BIN_DIR/kube-scheduler" \
    --kubeconfig="$p/scheduler.kubeconfig" \
    --authentication-kubeconfig="$p/scheduler.kubeconfig" \
    --authorization-kubeconfig="$p/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false --profiling=false
}

start_containerd() {
  mkdir -p "$D/containerd" "$D/cni/net.d" "$D/cni/ipam"
  cat >"$D/containerd/config.toml" <<EOF
version = 2
root = "$D/containerd/root"
state = "$D/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "$D/containerd/containerd.sock"
[ttrpc]
  address = "$D/containerd/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$D/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$(image_ref PAUSE)"
  # Lowering oom_score_adj is denied in this kind of sandbox, so runc could not create pods.
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$D/containerd/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN_DIR"
    conf_dir = "$D/cni/net.d"
EOF
  cat >"$D/cni/net.d/10-tollgate.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "tollgate-$NAME",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "cni0",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$D/cni/ipam",
        "ranges": [[{"subnet": "$POD_CIDR", "gateway": "$BRIDGE_IP"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    }
  ]
}
EOF
  launch containerd containerd --config "$D/containerd/config.toml"
  wait_for "containerd" 60 ctr_node version
}

image_ref() { grep "^$1=" "$IMAGES_DIR/refs.env" | cut -d= -f2; }

# import_images TAR...: into containerd's k8s.io namespace, where the kubelet looks.
import_images() {
  local tar ref
  for tar in "$@"; do
    [ -f "$tar" ] || die "no image tarball $tar"
    ctr_node -n k8s.io images import "$tar" >>"$D/logs/images.log" 2>&1 \
      || die "cannot import $tar: $(tail -n 3 "$D/logs/images.log")"
    log "imported $(basename "$tar")"
  done
  # Jib writes short names (tollgate/gateway:1.0) into its tarballs; `docker load` expands them,
  # containerd does not, and the kubelet asks for the full name (docker.io/tollgate/gateway:1.0).
  for ref in $(ctr_node -n k8s.io images ls -q | grep -v '^sha256:'); do
    case ${ref%%/*} in
      *.* | *:* | localhost) ;;
      "$ref") ctr_node -n k8s.io images tag --force "$ref" "docker.io/library/$ref" >/dev/null ;;
      *) ctr_node -n k8s.io images tag --force "$ref" "docker.io/$ref" >/dev/null ;;
    esac
  done
}

ctr_node() { ctr --address "$D/containerd/containerd.sock" "$@"; }

start_node() {
  local p="$D/pki"
  mkdir -p "$D/kubelet"
  : >"$D/resolv.conf"
  cat >"$D/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
tlsCertFile: $p/kubelet-serving.crt
tlsPrivateKeyFile: $p/kubelet-serving.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $p/ca.crt}
authorization: {mode: Webhook}
containerRuntimeEndpoint: unix://$D/containerd/containerd.sock
cgroupDriver: cgroupfs
cgroupRoot: /$CGROUP
failSwapOn: false
# Disk is shared with every build on the machine: neither evict pods nor delete the imported
# images (they cannot be pulled again) because of it.
localStorageCapacityIsolation: false
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
clusterDNS: [$DNS_SERVICE_IP]
clusterDomain: cluster.local
resolvConf: $D/resolv.conf
podLogsDir: $D/logs/pods
volumePluginDir: $D/kubelet/volume-plugins
serializeImagePulls: false
EOF
  launch kubelet "$NODE_BIN_DIR/kubelet" --config="$D/kubelet.yaml" \
    --kubeconfig="$p/kubelet.kubeconfig" --root-dir="$D/kubelet" \
    --node-ip="$NODE_IP" --hostname-override="$NAME"
  cat >"$D/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: $p/kube-proxy.kubeconfig}
hostnameOverride: $NAME
clusterCIDR: $POD_CIDR
bindAddress: $NODE_IP
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# Connection-tracking limits are the host's to set, not a test cluster's.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
  launch kube-proxy "$NODE_BIN_DIR/kube-proxy" --config="$D/kube-proxy.yaml"
}

# wait_for WHAT SECONDS CMD...: until CMD succeeds; on timeout, fails showing the logs' tails.
wait_for() {
  local what=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    check_alive
    if [ "$SECONDS" -ge "$deadline" ]; then
      for f in "$D"/logs/*.log; do printf '\n--- %s\n' "$f" >&2; tail -n 15 "$f" >&2; done
      die "$what not ready in ${seconds}s"
    fi
    sleep 1
  done
}

start_addons() {
  sed -e "s|\${DNS_SERVICE_IP}|$DNS_SERVICE_IP|g" \
    -e "s|\${COREDNS_IMAGE}|$(image_ref COREDNS)|g" \
    -e "s|\${METRICS_SERVER_IMAGE}|$(image_ref METRICS_SERVER)|g" \
    "$TOOLS_DIR/cluster/addons.yaml" | kubectl_admin apply -f - >>"$D/logs/addons.log"
}

start_watchdog() {
  [ -n "${OWNER_PID:-}" ] || return 0
  setsid "$TOOLS_DIR/cluster.sh" watch "$NAME" </dev/null >>"$D/logs/watchdog.log" 2>&1 &
  echo $! >"$D/run/watchdog.pid"
  disown $!
}

process_start_time() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null; }

# A start-up that fails part way leaves nothing behind (the logs' tails say why).
on_up_exit() {
  [ "${UP_DONE:-}" = 1 ] && return 0
  log "start-up of $NAME failed (exit $1): removing what it made"
  cmd_down "$NAME" || true
}

cmd_up() {
  local images=() name="" owner=""
  while [ $# -gt 0 ]; do
    case $1 in
      --name) name=$2; shift 2 ;;
      --owner) owner=$2; shift 2 ;;
      --image) images+=("$2"); shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  require_provisioned
  name=${name:-tg$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')}
  [[ $name =~ ^[a-z][a-z0-9]{1,11}$ ]] || die "name must be 2-12 lowercase letters and digits: $name"
  cluster_vars "$name"
  [ ! -e "$D" ] || die "cluster $NAME exists (tools/cluster.sh down $NAME)"
  OWNER_PID=$owner
  OWNER_START=${owner:+$(process_start_time "$owner")}
  mkdir -p "$D/logs" "$D/run"
  trap 'on_up_exit $?' EXIT
  local started=$SECONDS
  save_host_sysctls
  reserve_subnet
  write_env
  start_watchdog
  setup_network
  setup_cgroups
  setup_pki
  start_control_plane
  start_containerd
  import_images "$IMAGES_DIR/pause.tar" "$IMAGES_DIR/coredns.tar" \
    "$IMAGES_DIR/metrics-server.tar" "${images[@]}"
  wait_for "kube-apiserver" "$READY_TIMEOUT" kubectl_admin get --raw /readyz
  start_controllers
  start_node
  wait_for "node $NAME" "$READY_TIMEOUT" kubectl_admin wait --for=condition=Ready "node/$NAME" --timeout=5s
  start_addons
  wait_for "CoreDNS and metrics-server" "$READY_TIMEOUT" \
    kubectl_admin -n kube-system wait --for=condition=Available --timeout=5s \
    deployment/coredns deployment/metrics-server apiservice/v1beta1.metrics.k8s.io
  UP_DONE=1
  log "cluster $NAME ready in $((SECONDS - started))s: node $NODE_IP, pods $POD_CIDR, Services $SERVICE_CIDR"
  log "  export KUBECONFIG=$D/kubeconfig"
  log "  tools/cluster.sh load $NAME <image.tar>...   |   tools/cluster.sh down $NAME"
  echo "NAME=$NAME"
  echo "KUBECONFIG=$D/kubeconfig"
}

# --- load, status, watch -------------------------------------------------------------------------

cmd_load() {
  [ $# -ge 2 ] || die "usage: tools/cluster.sh load NAME TAR..."
  cluster_vars "$1"; shift
  [ -S "$D/containerd/containerd.sock" ] || die "no running cluster $NAME"
  import_images "$@"
}

cmd_status() {
  local names=("$@") name component pid
  if [ ${#names[@]} -eq 0 ]; then
    for d in "$CLUSTERS_DIR"/*/; do [ -d "$d" ] && names+=("$(basename "$d")"); done
  fi
  [ ${#names[@]} -gt 0 ] || { echo "no clusters"; return 0; }
  for name in "${names[@]}"; do
    cluster_vars "$name"
    echo "cluster $NAME: node ${NODE_IP:-?}, KUBECONFIG=$D/kubeconfig"
    for f in "$D"/run/*.pid; do
      [ -f "$f" ] || continue
      component=$(basename "$f" .pid)
      pid=$(cat "$f")
      if kill -0 "$pid" 2>/dev/null; then echo "  $component: running (pid $pid)"; else echo "  $component: NOT running"; fi
    done
    kubectl_admin get nodes --request-timeout=5s 2>/dev/null | sed 's/^/  /' || echo "  API server not answering"
  done
}

# Stops cluster NAME once its owner process has ended (the owner's start time guards against a
# reused pid).
cmd_watch() {
  cluster_vars "$1"
  while [ "$(process_start_time "$OWNER_PID")" = "$OWNER_START" ]; do sleep 2; done
  log "owner $OWNER_PID of cluster $NAME has ended: stopping it"
  rm -f "$D/run/watchdog.pid"
  cmd_down "$NAME"
}

# --- down ----------------------------------------------------------------------------------------

# Every process in the cluster's cgroup tree (daemons, shims, containers), frozen so none can fork
# while the others die, then killed.
kill_cgroup_tree() {
  local freezer="$CGROUP_FS/freezer/$CGROUP" pids_root="$CGROUP_FS/pids/$CGROUP" deadline pids
  [ -d "$pids_root" ] || return 0
  [ -d "$freezer" ] && echo FROZEN >"$freezer/freezer.state" 2>/dev/null || true
  deadline=$((SECONDS + 30))
  while :; do
    pids=$(find "$pids_root" -name cgroup.procs -exec cat {} + 2>/dev/null)
    [ -z "$pids" ] && break
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    [ -d "$freezer" ] && echo THAWED >"$freezer/freezer.state" 2>/dev/null || true
    [ "$SECONDS" -lt "$deadline" ] || { log "processes left in $CGROUP: $pids"; break; }
    sleep 0.2
  done
}

remove_cgroups() {
  local h
  for h in "$CGROUP_FS"/*/"$CGROUP"; do
    [ -d "$h" ] && find "$h" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
}

unmount_under() {
  local dir=$1
  awk -v d="$dir/" 'index($2, d) == 1 {print $2}' /proc/self/mounts | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
}

# What containerd 1.6 and the CNI library keep outside the cluster's directory, per task id: shim
# sockets in /run/containerd/s (named by the sha256 of "<containerd address>/k8s.io/<id>") and
# cached CNI results in /var/lib/cni/results.
remove_runtime_leftovers() {
  local tasks="$D/containerd/state/io.containerd.runtime.v2.task/k8s.io" id hash
  for id in $(ls "$tasks" 2>/dev/null); do
    hash=$(printf '%s' "$D/containerd/containerd.sock/k8s.io/$id" | sha256sum | cut -d' ' -f1)
    rm -f "/run/containerd/s/$hash" "/var/lib/cni/results/cni-loopback-$id-lo"
  done
  rm -f /var/lib/cni/results/"tollgate-$NAME"-* 2>/dev/null || true
}

cmd_down() {
  [ $# -eq 1 ] || die "usage: tools/cluster.sh down NAME | --all"
  if [ "$1" = --all ]; then
    down_all
    return 0
  fi
  cluster_vars "$1"
  local watchdog
  watchdog=$(cat "$D/run/watchdog.pid" 2>/dev/null || true)
  [ -n "$watchdog" ] && [ "$watchdog" != "$$" ] && kill "$watchdog" 2>/dev/null || true
  kill_cgroup_tree
  unmount_under "$D"
  remove_cgroups
  ip netns del "$NETNS" 2>/dev/null || true
  ip link del "$HOST_VETH" 2>/dev/null || true
  [ -n "${INDEX:-}" ] && ip route del blackhole "$NET_PREFIX.$INDEX.0/24" 2>/dev/null || true
  remove_runtime_leftovers
  find /var/log/containers -maxdepth 1 -lname "$D/*" -delete 2>/dev/null || true
  rm -rf "$D"
  restore_host_sysctls_if_last
  log "cluster $NAME removed"
}

# Every cluster with a directory, then whatever a crashed run left without one.
down_all() {
  local d name h
  for d in "$CLUSTERS_DIR"/*/; do
    [ -d "$d" ] && (cmd_down "$(basename "$d")")
  done
  for name in $(ip netns list | awk '/^tollgate-/ {sub("tollgate-", "", $1); print $1}'); do
    (cmd_down "$name")
  done
  for h in "$CGROUP_FS"/*/tollgate-*/; do
    [ -d "$h" ] || continue
    name=$(basename "$h"); (cmd_down "${name#tollgate-}")
  done
  ip -4 route show | awk -v p="^$NET_PREFIX\\\\." '$1 == "blackhole" && $2 ~ p {print $2}' |
    while read -r subnet; do ip route del blackhole "$subnet" 2>/dev/null || true; done
}

main() {
  local command=${1:-}
  [ $# -gt 0 ] && shift
  case $command in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    load) cmd_load "$@" ;;
    status) cmd_status "$@" ;;
    watch) cmd_watch "$@" ;;
    *) sed -n '2,12p' "$0" >&2; exit 2 ;;
  esac
}

main "$@"
