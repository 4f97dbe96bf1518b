#!/usr/bin/env bash
# The data-plane benchmark in one command (docs/benchmarks.md, "One-command benchmark"): builds the
# gateway jar, then runs dev.tollgate.gateway.DataPlaneBenchmark, which starts nginx (the baseline
# proxy, in front of a static nginx upstream), redis-server and the gateway jar on loopback, drives
# them with wrk and prints the ratios against the targets. Takes about (setups + 1) x rounds x
# seconds, plus warm-up; the defaults (8 s, 3 rounds) about 4 minutes.
#
# Usage: tools/bench.sh [seconds per run] [rounds] [--gc] [--access-stream] [--compare-jar=PATH]
#   (or make bench BENCH_ARGS="...")
#   --gc                also runs the one-limit setup on ParallelGC and generational ZGC
#   --access-stream     also runs the no-limit setup writing every request to the access stream
#   --compare-jar=PATH  also runs a gateway jar built elsewhere (e.g. an earlier commit), same run
# Needs: a JDK 21+, nginx with its Lua module and Lua Redis client, wrk and redis-server
# (tools/provision.sh installs them on Debian); nothing else may use the machine's cores if the absolute figures are to mean much, the
# ratios are taken within the run either way.
set -euo pipefail
cd "$(dirname "$0")/.."

JAVA_HOME="${JAVA_HOME:-$(tools/find-jdk.sh)}"
export JAVA_HOME
for tool in nginx wrk redis-server; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] \
    || { echo "bench: $tool is missing (Debian: apt-get install nginx-light wrk redis-server)" >&2; exit 1; }
done
[ -f /usr/lib/nginx/modules/ngx_http_lua_module.so ] && [ -f /usr/share/lua/5.1/nginx/redis.lua ] \
  || { echo "bench: nginx's Lua module or its Redis client is missing (Debian: apt-get install libnginx-mod-http-lua lua-nginx-redis)" >&2; exit 1; }

CLASSPATH_FILE="$PWD/gateway/target/bench.classpath"
./mvnw -B -ntp -q -pl gateway -am package dependency:build-classpath -DskipTests \
  -Dspotless.skip=true -Djib.skip=true -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE"

cd gateway
exec "$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat "$CLASSPATH_FILE")" \
  dev.tollgate.gateway.DataPlaneBenchmark "$@"
