#!/usr/bin/env bash
# Step 3 of the brokerless lab (with receiver_router3.sh running): sends 10 messages to address
# myAddress on router1 and prints their outcomes. router1 gives credit only once the mesh has
# told it of the receiver on router3, so the sender waits for that (at most 30 s). Extra
# arguments go to `weft send` and win over these (e.g. -c 1 for a single message).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lab-common.sh"

need_build "$weft_js"
url="$(router_url router1)"
say "sending to router1 ($url), address myAddress"
exec node "$weft_js" send -b "$url" -a myAddress -c 10 -m "Hello from router1" --timeout 30 "$@"
