# The two entry points a newcomer needs (see README.md):
#   make demo   run the gateway standalone in front of a small upstream and show it working
#   make test   provision redis/etcd/kube-apiserver if missing, build, run every test
SHELL := /usr/bin/env bash
JAVA_HOME := $(shell tools/find-jdk.sh)
export JAVA_HOME
MVN := ./mvnw -B -ntp

.PHONY: test demo provision build

provision:
	tools/provision.sh

test: provision
	$(MVN) verify

build:
	$(MVN) -DskipTests -Dspotless.skip=true package

demo:
	tools/demo.sh

