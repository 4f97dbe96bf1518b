#!/usr/bin/env bash
# Copies the generated CRDs (crds/generated, written by the crds module build) into the chart,
# byte for byte. The chart cannot read files outside its own directory, and an e2e test
# (ChartCrdsIT) fails when the two copies differ, so run this after changing the API model.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="$root/helm/tollgate/files/crds"
rm -f "$target"/*.yml
cp "$root"/crds/generated/*.yml "$target"/
ls "$target"
