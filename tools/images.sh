# Sourced by tools/provision.sh: builds, without Docker or a registry, the container images that
# the test cluster (tools/cluster.sh) runs, as docker-archive tarballs (the `docker save` format)
# in $IMAGES_DIR. `ctr images import` loads them into the node's containerd, and Jib takes
# jre-25.tar as a tar:// base for the gateway and operator images.
#
#   jre-25.tar          Debian trixie (minbase) + openjdk-25-jre-headless: the Jib base in tests
#                       (bookworm has only Java 17; users build on eclipse-temurin:25-jre)
#   redis.tar           Debian trixie + redis-server: the chart's bundled Redis
#   busybox.tar         Debian's busybox-static: the echo upstream (httpd + the example's CGI)
#   pause.tar           the pod sandbox, tools/cluster/pause.c built static
#   metrics-server.tar  metrics-server from its Go module: the HPA's CPU metrics
#   coredns.tar         CoreDNS from its Go module: Service names (the chart's Redis URL)
#
# The two Go binaries come from provision.sh ($METRICS_SERVER_BIN, $COREDNS_BIN).
# $IMAGES_DIR/refs.env names each image's reference (KEY=ref) for tools/cluster.sh and the tests.
# A tarball that exists is kept; bump IMAGES_RECIPE when a recipe changes so all are rebuilt.

IMAGES_RECIPE=2
DEBIAN_MIRROR="${TOLLGATE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

# The only names these images go by. tollgate.test is a reserved name (RFC 2606) that no
# registry answers to, so a pull can never reach anywhere: pods run them as imported.
declare -A IMAGE_REFS=(
  [JRE]="tollgate.test/jre:25-trixie-r$IMAGES_RECIPE"
  [REDIS]="tollgate.test/redis:trixie-r$IMAGES_RECIPE"
  [BUSYBOX]="tollgate.test/busybox:1.35-r$IMAGES_RECIPE"
  [PAUSE]="tollgate.test/pause:r$IMAGES_RECIPE"
  [METRICS_SERVER]="tollgate.test/metrics-server:v${METRICS_SERVER_VERSION}-r$IMAGES_RECIPE"
  [COREDNS]="tollgate.test/coredns:v${COREDNS_VERSION}-r$IMAGES_RECIPE"
)

# docker_archive ROOTFS REF CONFIG_JSON OUT
# One layer holding ROOTFS, written as `docker save` would: manifest.json, the config (with
# CONFIG_JSON as its "config" object) and the layer, gzipped (Jib stores compressed base layers
# as they are, but gzips uncompressed ones again for every new cache). Written by hand because
# Jib reads only this format as a base, and no single Debian tool turns a directory into it.
docker_archive() {
  local rootfs=$1 ref=$2 config=$3 out=$4 work diff_id config_id
  work=$(mktemp -d)
  tar -C "$rootfs" --numeric-owner --sort=name \
    --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' --exclude='./run/*' \
    --exclude='./tmp/*' -cf "$work/layer.tar" .
  diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
  gzip -n "$work/layer.tar"
  mkdir "$work/$diff_id"
  mv "$work/layer.tar.gz" "$work/$diff_id/layer.tar"
  printf '{"architecture":"amd64","os":"linux","config":%s,"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$config" "$diff_id" >"$work/config.json"
  config_id=$(sha256sum "$work/config.json" | cut -d' ' -f1)
  mv "$work/config.json" "$work/$config_id.json"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]' \
    "$config_id" "$ref" "$diff_id" >"$work/manifest.json"
  tar -C "$work" -cf "$out.partial" manifest.json "$config_id.json" "$diff_id/layer.tar"
  mv "$out.partial" "$out"
  rm -rf "$work"
}

# debian_rootfs DIR PACKAGE...: Debian trixie minbase with PACKAGEs, without apt's caches and
# docs. Downloaded .debs are kept in $IMAGES_DIR/debs, so a rebuild downloads nothing.
debian_rootfs() {
  local dir=$1; shift
  local include; include=$(IFS=,; echo "$*")
  mkdir -p "$IMAGES_DIR/debs"
  # debootstrap mounts /proc and /sys in the target while it installs; unmount after a failure.
  if ! debootstrap --variant=minbase --cache-dir="$IMAGES_DIR/debs" --include="$include" \
    trixie "$dir" "$DEBIAN_MIRROR" >"$dir.log" 2>&1; then
    umount -l "$dir/proc" "$dir/sys" 2>/dev/null || true
    die "debootstrap of trixie with $include failed: $(tail -n 5 "$dir.log")"
  fi
  rm -rf "$dir"/var/cache/apt/* "$dir"/var/lib/apt/lists/* "$dir"/usr/share/doc/* \
    "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/usr/share/locale/* "$dir.log"
}

image_jre() {
  local rootfs=$1
  debian_rootfs "$rootfs" openjdk-25-jre-headless
  docker_archive "$rootfs" "${IMAGE_REFS[JRE]}" \
    '{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/usr/lib/jvm/java-25-openjdk-amd64","LANG=C.UTF-8"]}' \
    "$IMAGES_DIR/jre-25.tar"
}

image_redis() {
  local rootfs=$1
  debian_rootfs "$rootfs" redis-server
  mkdir -p "$rootfs/data"
  docker_archive "$rootfs" "${IMAGE_REFS[REDIS]}" \
    '{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["redis-server"],"WorkingDir":"/data","ExposedPorts":{"6379/tcp":{}}}' \
    "$IMAGES_DIR/redis.tar"
}

image_busybox() {
  local rootfs=$1 deb
  mkdir -p "$rootfs/bin" "$rootfs/tmp" "$IMAGES_DIR/debs"
  (cd "$IMAGES_DIR/debs" && apt-get download -q -o APT::Sandbox::User=root busybox-static >/dev/null) \
    || die "cannot download Debian's busybox-static"
  deb=$(ls -t "$IMAGES_DIR"/debs/busybox-static_*.deb | head -n 1)
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$rootfs" ./bin/busybox
  chroot "$rootfs" /bin/busybox --install -s /bin
  chmod 1777 "$rootfs/tmp"
  docker_archive "$rootfs" "${IMAGE_REFS[BUSYBOX]}" \
    '{"Env":["PATH=/bin"],"Cmd":["sh"]}' "$IMAGES_DIR/busybox.tar"
}

image_pause() {
  local rootfs=$1
  mkdir -p "$rootfs"
  gcc -static -O2 -Wall -Wextra -o "$rootfs/pause" "$TOOLS_DIR/cluster/pause.c" \
    || die "cannot build the pause program (gcc -static needs libc6-dev)"
  strip "$rootfs/pause"
  docker_archive "$rootfs" "${IMAGE_REFS[PAUSE]}" \
    '{"Entrypoint":["/pause"],"User":"65535:65535"}' "$IMAGES_DIR/pause.tar"
}

# static_binary_image ROOTFS BINARY KEY TAR: an image holding one static binary, run as nobody.
static_binary_image() {
  local rootfs=$1 binary=$2 key=$3 tar=$4 name
  name=$(basename "$binary")
  mkdir -p "$rootfs/tmp"
  chmod 1777 "$rootfs/tmp"
  install -m 0755 "$binary" "$rootfs/$name"
  docker_archive "$rootfs" "${IMAGE_REFS[$key]}" \
    "{\"Entrypoint\":[\"/$name\"],\"User\":\"65534:65534\"}" "$IMAGES_DIR/$tar"
}

image_metrics_server() {
  static_binary_image "$1" "$METRICS_SERVER_BIN" METRICS_SERVER metrics-server.tar
}

image_coredns() {
  static_binary_image "$1" "$COREDNS_BIN" COREDNS coredns.tar
}

ensure_images() {
  local image name tar work
  mkdir -p "$IMAGES_DIR"
  if [ "$(cat "$IMAGES_DIR/recipe" 2>/dev/null)" != "$IMAGES_RECIPE" ]; then
    rm -f "$IMAGES_DIR"/*.tar
  fi
  for image in jre:jre-25 redis:redis busybox:busybox pause:pause \
    metrics_server:metrics-server coredns:coredns; do
    name=${image%%:*}
    tar="$IMAGES_DIR/${image#*:}.tar"
    [ -f "$tar" ] && continue
    log "building image $(basename "$tar")"
    work=$(mktemp -d)
    "image_$name" "$work/rootfs"
    rm -rf "$work"
  done
  echo "$IMAGES_RECIPE" >"$IMAGES_DIR/recipe"
  {
    echo "# Image references of the tarballs beside this file (tools/images.sh)."
    for name in "${!IMAGE_REFS[@]}"; do echo "$name=${IMAGE_REFS[$name]}"; done | sort
  } >"$IMAGES_DIR/refs.env"
  log "images: $(cd "$IMAGES_DIR" && ls -- *.tar | tr '\n' ' ')in $IMAGES_DIR"
}
