#!/usr/bin/env bash
# Runs the gateway standalone on examples/standalone in front of a small local upstream.
set -euo pipefail
echo "The gateway demo is not built yet (it arrives with the gateway data plane)."
