#!/usr/bin/env bash
# Receives from ADDRESS on a router (URL, default router3 in the containers, amqp://127.0.0.1:5684):
# broker.lab-queue reads RabbitMQ's queue through the link route; orders consumes the waypoint
# (what ./sender_router1.sh stored in RabbitMQ while nobody consumed). Runs until Ctrl-C; extra
# arguments go to `weft receive` (e.g. -c 10). URL=amqp://127.0.0.1:5683 consumes on router2.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
weft_js="$repo_root/dist/router/cli/weft.js"
[[ -f "$weft_js" ]] || { echo "receiver_router3.sh: build first (npm run build)" >&2; exit 1; }
exec node "$weft_js" receive -b "${URL:-amqp://127.0.0.1:5684}" -a "${ADDRESS:-broker.lab-queue}" --print "$@"
