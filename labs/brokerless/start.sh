#!/usr/bin/env bash
# Step 1 of the brokerless lab: starts router3, router2 and router1 in the background on
# loopback (each after the routers it connects to), from loopback copies of router{1,2,3}.conf.
# Conf copies, logs, pid files and client URLs go to .run/ (or $WEFT_LAB_RUN_DIR).
# Next: ./receiver_router3.sh in one terminal, ./sender_router1.sh in another; ./stop.sh at the end.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lab-common.sh"

need_build "$lab_js"
node "$lab_js" start --run-dir "$run_dir" "$@"
say "logs: tail -f $run_dir/router{1,2,3}.log; the mesh as the logs tell it: node $lab_js status --run-dir $run_dir"
