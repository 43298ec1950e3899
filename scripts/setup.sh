#!/usr/bin/env bash
# `npm run setup`: everything the tests and the bench need on a Debian machine, idempotent.
#   1. npm ci, when node_modules is missing or older than package-lock.json
#   2. the Debian packages below, each installed through apt only when missing; services they
#      bring (rabbitmq-server, epmd) are kept from starting: tests run their own on private ports
#   3. the bench's C load generator, dist/loadgen/weft-loadgen
# Runs unattended (CI=true, no stdin). WEFT_SETUP_DRY_RUN=1 prints what it would do.
set -euo pipefail

# ---- Debian packages the tests and the bench need: add new ones here --------------------
APT_PACKAGES=(
  python3-qpid-proton            # interop tests: Proton Python clients
  libqpid-proton11-dev           # Proton C headers and library: the bench's load generator
  libqpid-proton11-dev-examples  # Proton C example clients: interop tests
  gcc                            # builds the load generator
  make
  pkg-config                     # finds Proton's compiler flags
  docker-compose                 # validates docker-compose.yml (`docker-compose config`); no engine runs here
  rabbitmq-server                # interop tests: RabbitMQ 3.10 with its AMQP 1.0 plugin, started by the tests
)
# ------------------------------------------------------------------------------------------

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
dry_run="${WEFT_SETUP_DRY_RUN:-}"

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }
run() {
  say "+ $*"
  [[ -n "$dry_run" ]] || "$@"
}

# ---- 1. node modules ----
# npm ci rewrites node_modules/.package-lock.json, so it marks the last install.
if [[ ! -d node_modules || ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  run npm ci
else
  say "node_modules is up to date"
fi

# ---- 2. Debian packages ----
installed() { dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'; }

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  installed "$pkg" || missing+=("$pkg")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  say "Debian packages present: ${APT_PACKAGES[*]}"
else
  say "missing Debian packages: ${missing[*]}"
  command -v apt-get >/dev/null || die "apt-get not found; install these packages by hand: ${missing[*]}"
  if [[ $(id -u) -eq 0 ]]; then
    as_root=()
  elif command -v sudo >/dev/null; then
    # Without a terminal sudo must not wait for a password nobody can type.
    if [[ -t 0 ]]; then as_root=(sudo); else as_root=(sudo -n); fi
  else
    die "not root and no sudo; as root, run:
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
  fi
  run "${as_root[@]}" apt-get update
  # Debian's postinst scripts start what they install (RabbitMQ on 0.0.0.0:5672, epmd on 4369)
  # through invoke-rc.d, which asks policy-rc.d first: without one, lend one that says no (101).
  policy=/usr/sbin/policy-rc.d
  if [[ ! -e $policy && -z "$dry_run" ]]; then
    printf '#!/bin/sh\n# weft setup.sh: no service starts during this install\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
    "${as_root[@]}" chmod 755 "$policy"
    trap '"${as_root[@]}" rm -f "$policy"' EXIT
  fi
  run "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  # A policy that was already there may have let them start, and a boot must not start them.
  if [[ " ${missing[*]} " == *" rabbitmq-server "* ]]; then
    if [[ -d /run/systemd/system ]]; then
      run "${as_root[@]}" systemctl disable --now rabbitmq-server.service epmd.socket epmd.service || true
    else
      run "${as_root[@]}" update-rc.d rabbitmq-server disable || true
      if [[ -s /run/rabbitmq/pid ]]; then run "${as_root[@]}" /etc/init.d/rabbitmq-server stop || true; fi
    fi
  fi
  if [[ -z "$dry_run" ]]; then
    for pkg in "${missing[@]}"; do installed "$pkg" || die "$pkg is still not installed"; done
  fi
fi

# ---- 3. the bench's load generator ----
run bash scripts/bench/loadgen/build.sh
say "done"
