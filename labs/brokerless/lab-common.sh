# Shared by start.sh, stop.sh, receiver_router3.sh and sender_router1.sh (sourced, not run).
# WEFT_LAB_RUN_DIR chooses the run folder (default: .run next to this file).

lab_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$lab_dir/../.." && pwd)"
run_dir="${WEFT_LAB_RUN_DIR:-$lab_dir/.run}"
lab_js="$repo_root/dist/scripts/lab.js"
weft_js="$repo_root/dist/router/cli/weft.js"
script_name="$(basename "$0")"

say() { printf '%s: %s\n' "$script_name" "$*"; }
die() { printf '%s: error: %s\n' "$script_name" "$*" >&2; exit 1; }

need_build() {
  local f
  for f in "$@"; do
    [[ -f "$f" ]] || die "${f#"$repo_root"/} is missing: build first (cd $repo_root && npm run build)"
  done
}

# The pid in a router's pid file if that process is still a weftd, else nothing.
router_pid() {
  local file="$run_dir/$1.pid" pid command
  [[ -f "$file" ]] || return 0
  pid="$(tr -d '[:space:]' < "$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  if [[ -r "/proc/$pid/cmdline" ]]; then
    command="$(tr '\0' ' ' < "/proc/$pid/cmdline")"
  else
    command="$(ps -o command= -p "$pid" 2>/dev/null || true)"
  fi
  [[ "$command" == *weftd* ]] && printf '%s\n' "$pid"
  return 0
}

# The client URL of a running router, from the endpoints file start.sh wrote.
router_url() {
  local name="$1" key url
  [[ -n "$(router_pid "$name")" ]] || die "$name is not running: start the routers first (./start.sh)"
  key="$(printf '%s' "$name" | tr '[:lower:]' '[:upper:]')_URL"
  url="$(sed -n "s/^${key}=//p" "$run_dir/endpoints" 2>/dev/null || true)"
  [[ -n "$url" ]] || die "no URL for $name in $run_dir/endpoints: restart the routers (./stop.sh; ./start.sh)"
  printf '%s\n' "$url"
}
