#!/usr/bin/env bash
# Step 2 of the brokerless lab: a receiver on router3's client listener for address myAddress,
# printing each message with its properties and annotations (x-opt-qd.trace: the routers it
# went through). Runs until Ctrl-C; extra arguments go to `weft receive` (e.g. -c 10 to stop
# after 10 messages).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lab-common.sh"

need_build "$weft_js"
url="$(router_url router3)"
say "receiving from router3 ($url) on address myAddress; Ctrl-C to stop"
exec node "$weft_js" receive -b "$url" -a myAddress --print "$@"
