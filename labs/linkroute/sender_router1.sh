#!/usr/bin/env bash
# Sends 10 messages on router1 (ROUTER1_URL, default the container's amqp://127.0.0.1:5682) to
# ADDRESS: broker.lab-queue (default; link-routed into RabbitMQ's queue lab-queue) or orders (the
# waypoint). The outcomes printed are RabbitMQ's. Extra arguments go to `weft send`.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
weft_js="$repo_root/dist/router/cli/weft.js"
[[ -f "$weft_js" ]] || { echo "sender_router1.sh: build first (npm run build)" >&2; exit 1; }
exec node "$weft_js" send -b "${ROUTER1_URL:-amqp://127.0.0.1:5682}" -a "${ADDRESS:-broker.lab-queue}" -c 10 -m "Hello from router1" --timeout 30 "$@"
