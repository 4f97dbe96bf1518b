#!/usr/bin/env bash
# The quick start: runs the gateway standalone on examples/standalone in front of two small local
# upstreams, shows a few requests (routing, rewrite, load balancing, a 404 problem, a 429), then
# stops everything it started. Usage: tools/demo.sh (or `make demo`). Needs a JDK 21+ (JAVA_HOME or
# tools/find-jdk.sh), curl, and free loopback ports 18080-18082 and 18090.
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME="${JAVA_HOME:-$(tools/find-jdk.sh)}"
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
JAR=gateway/target/tollgate-gateway.jar
GATEWAY_PORT=18080
ADMIN_PORT=18090
WORK=$(mktemp -d)
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in 18081 18082 $GATEWAY_PORT $ADMIN_PORT; do
  port_free "$port" || { echo "demo: port $port on 127.0.0.1 is in use; stop what uses it" >&2; exit 1; }
done

if [ ! -f "$JAR" ]; then
  echo "== building $JAR (first run only)"
  ./mvnw -q -B -ntp -pl gateway -am -DskipTests -Dspotless.skip=true package
fi

wait_for() { # url, name, pid
  for _ in $(seq 1 100); do
    curl -fs -o /dev/null "$1" && return 0
    kill -0 "$3" 2>/dev/null || { echo "demo: $2 exited; its log:" >&2; cat "$WORK/$2.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "demo: $2 did not come up; its log:" >&2; cat "$WORK/$2.log" >&2; exit 1
}

echo "== starting two demo upstreams (alpha on :18081, beta on :18082)"
for spec in 18081:alpha 18082:beta; do
  "$JAVA" examples/standalone/upstream/DemoUpstream.java "${spec%%:*}" "${spec##*:}" \
    > "$WORK/${spec##*:}.log" 2>&1 &
  PIDS+=($!)
  wait_for "http://127.0.0.1:${spec%%:*}/" "${spec##*:}" "$!"
done

echo "== starting the gateway: java -jar $JAR --config-dir examples/standalone"
"$JAVA" -jar "$JAR" --bind-address=127.0.0.1 --port=$GATEWAY_PORT --admin-port=$ADMIN_PORT \
  --config-dir=examples/standalone > "$WORK/gateway.log" 2>&1 &
PIDS+=($!)
wait_for "http://127.0.0.1:$ADMIN_PORT/health/ready" gateway "$!"

show() { # description, curl arguments...
  echo
  echo "-- $1"
  echo "\$ curl ${*:2}"
  curl -s -i "${@:2}" | tr -d '\r' | grep -v -i -E '^(date|connection):'
}

G="http://127.0.0.1:$GATEWAY_PORT"
show "prefix route with rewrite: /orders/42 reaches the upstream as /v1/orders/42" "$G/orders/42"
show "round robin: the next request goes to the other upstream" "$G/orders/43"
show "the exact route /orders/health wins over the /orders prefix" "$G/orders/health"
show "no route: 404 as application/problem+json" "$G/nowhere"
show "an encoded slash is refused (400), never routed" "$G/orders%2F..%2Fadmin"
echo
echo "-- rate limit: 5 requests per 10 s per client on /orders (two were used above); a burst of 6"
for i in 1 2 3 4 5 6; do
  printf '   request %d: ' "$i"
  curl -s -o /dev/null -w '%{http_code}\n' "$G/orders/burst-$i"
done
show "the next one is refused with Retry-After" "$G/orders/burst-7"
echo
echo "-- admin port $ADMIN_PORT: readiness and a few metrics (not reachable on port $GATEWAY_PORT)"
curl -s "http://127.0.0.1:$ADMIN_PORT/health/ready"; echo
curl -s "http://127.0.0.1:$ADMIN_PORT/metrics" | grep -E '^tollgate_(requests_total|config_version)' | head -8
echo
echo "== done; stopping the gateway and the upstreams"
