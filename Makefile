# The entry points a newcomer needs (see README.md):
#   make demo      run the gateway standalone in front of a small upstream and show it working
#   make test      provision what the tests start (Redis, Kubernetes binaries, images), build, run
#                  every test
#   make cluster   a single-node Kubernetes on this machine with the gateway, operator and
#                  analytics images loaded (tools/cluster.sh; docs/install.md); stop it with
#                  tools/cluster.sh down
#   make bench     the data-plane benchmark: nginx baseline, Redis and the gateway jar under wrk,
#                  ratios against the targets (tools/bench.sh; BENCH_ARGS="12 5 --gc" for more)
SHELL := /usr/bin/env bash
JAVA_HOME := $(shell tools/find-jdk.sh)
export JAVA_HOME
MVN := ./mvnw -B -ntp

IMAGES_DIR := $(or $(TOLLGATE_CACHE_DIR),$(HOME)/.cache/tollgate)/images

.PHONY: test demo provision build cluster bench conformance

provision:
	tools/provision.sh

test: provision
	$(MVN) verify

build:
	$(MVN) -DskipTests -Dspotless.skip=true package

demo:
	tools/demo.sh

cluster: provision
	$(MVN) -DskipTests -Dspotless.skip=true package
	tools/cluster.sh up \
	  --image gateway/target/tollgate-gateway-image.tar \
	  --image operator/target/tollgate-operator-image.tar \
	  --image analytics/target/tollgate-analytics-image.tar \
	  --image $(IMAGES_DIR)/redis.tar --image $(IMAGES_DIR)/busybox.tar


bench:
	tools/bench.sh $(BENCH_ARGS)

conformance: provision build
	tools/conformance.sh run
