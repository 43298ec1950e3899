#!/usr/bin/env bash
# Last step of the brokerless lab: stops the routers start.sh started, by the pids in their pid
# files (SIGTERM to all, then SIGKILL to any still there after 5 s). Their logs stay.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lab-common.sh"

names=()
pids=()
for name in router1 router2 router3; do
  pid="$(router_pid "$name")"
  if [[ -n "$pid" ]]; then
    kill -TERM "$pid" 2>/dev/null || true
    names+=("$name")
    pids+=("$pid")
  else
    rm -f "$run_dir/$name.pid"   # stale: that process has gone
  fi
done
if [[ ${#pids[@]} -eq 0 ]]; then
  say "no routers of the lab were running (run folder: $run_dir)"
  exit 0
fi

alive() { kill -0 "$1" 2>/dev/null; }
for _ in $(seq 50); do
  any=0
  for pid in "${pids[@]}"; do alive "$pid" && any=1; done
  [[ $any -eq 0 ]] && break
  sleep 0.1
done
for i in "${!pids[@]}"; do
  if alive "${pids[$i]}"; then
    say "${names[$i]} (pid ${pids[$i]}) did not stop on SIGTERM: killing it"
    kill -KILL "${pids[$i]}" 2>/dev/null || true
  fi
  rm -f "$run_dir/${names[$i]}.pid"
  say "stopped ${names[$i]} (pid ${pids[$i]})"
done
say "logs kept in $run_dir"
