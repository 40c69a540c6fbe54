#!/usr/bin/env bash
# End-to-end journeys (Playwright + Debian's chromium) against a freshly started server.
#
#   bash tests/e2e/run.sh sqlite      # temporary SQLite file
#   bash tests/e2e/run.sh postgres    # fresh PostgreSQL databases, dropped afterwards
#
# Extra arguments go to `playwright test` (e.g. a file name or --grep).
# Environment: CHROMIUM_PATH (default Debian's /usr/bin/chromium-headless-shell, else
# /usr/bin/chromium), E2E_PORT (default 3210; the clock-moving specs' server takes the next port),
# E2E_PG_HOST / E2E_PG_PORT / E2E_PG_USER (default 127.0.0.1 / 5432 / postgres),
# E2E_SNAPSHOT / E2E_SERVER_DIR (see below), CI (true: a missing chromium is an error).
set -euo pipefail

engine="${1:-sqlite}"
shift || true
if [[ "$engine" != sqlite && "$engine" != postgres ]]; then
  echo "usage: bash tests/e2e/run.sh <sqlite|postgres> [playwright args…]" >&2
  exit 2
fi
cd "$(dirname "$0")/../.."

# The headless shell (Debian package chromium-headless-shell) is the same Chromium without the full
# browser's window machinery: the suite takes about a third less CPU with it than with `chromium`.
chromium="${CHROMIUM_PATH:-}"
if [[ -z "$chromium" ]]; then
  chromium=/usr/bin/chromium-headless-shell
  [[ -x "$chromium" ]] || chromium=/usr/bin/chromium
fi
if [[ ! -x "$chromium" ]]; then
  if [[ "${CI:-}" == "true" ]]; then
    echo "ERROR e2e: chromium not installed at $chromium (CI=true, failing)" >&2
    exit 1
  fi
  echo "SKIPPED e2e: chromium not installed ($chromium)"
  exit 0
fi
export CHROMIUM_PATH="$chromium"

if [[ ! -f build/server/index.js ]]; then
  echo "e2e: build/server/index.js missing, running npm run build"
  npm run build
fi

cleanups=()
cleanup() {
  local c
  for c in "${cleanups[@]}"; do eval "$c" || true; done
}
trap cleanup EXIT

# Serve from a snapshot of the built app (server.ts, src, build), so that a rebuild or an edit in
# the working tree while the suite runs cannot swap files under the running server.
# E2E_SNAPSHOT=0 serves straight from the working tree instead; a preset E2E_SERVER_DIR (a
# directory holding server.ts, src and build) is used as it is.
if [[ -n "${E2E_SERVER_DIR:-}" ]]; then
  [[ -f "$E2E_SERVER_DIR/build/server/index.js" ]] || {
    echo "ERROR e2e: E2E_SERVER_DIR=$E2E_SERVER_DIR has no build/server/index.js" >&2
    exit 1
  }
elif [[ "${E2E_SNAPSHOT:-1}" == "1" ]]; then
  snap="$(mktemp -d "${TMPDIR:-/tmp}/kepu-e2e-app-XXXXXX")"
  cleanups+=("rm -rf '$snap'")
  cp -r server.ts package.json tsconfig.json src build "$snap/"
  ln -s "$PWD/node_modules" "$snap/node_modules"
  if [[ ! -f "$snap/build/server/index.js" ]]; then
    echo "ERROR e2e: the build changed while it was copied; run again" >&2
    exit 1
  fi
  export E2E_SERVER_DIR="$snap"
fi

case "$engine" in
  sqlite)
    unset E2E_DATABASE_URL E2E_CLOCK_DATABASE_URL
    ;;
  postgres)
    pg_host="${E2E_PG_HOST:-127.0.0.1}"
    pg_port="${E2E_PG_PORT:-5432}"
    pg_user="${E2E_PG_USER:-postgres}"
    # One database per server: the journeys that keep to the present, and the clock-moving ones.
    dbs=("kepu_e2e_$$" "kepu_e2e_$$_clock")
    psql_admin=(psql -X -q -v ON_ERROR_STOP=1 -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres)
    drop_dbs() {
      local d
      for d in "${dbs[@]}"; do
        "${psql_admin[@]}" -c "drop database if exists $d with (force)" ||
          echo "e2e: could not drop database $d" >&2
      done
    }
    cleanups+=(drop_dbs)
    for d in "${dbs[@]}"; do "${psql_admin[@]}" -c "create database $d"; done
    export E2E_DATABASE_URL="postgres://${pg_user}@${pg_host}:${pg_port}/${dbs[0]}"
    export E2E_CLOCK_DATABASE_URL="postgres://${pg_user}@${pg_host}:${pg_port}/${dbs[1]}"
    ;;
esac

echo "e2e: engine=$engine chromium=$chromium"
start=$(date +%s)
status=0
npx playwright test "$@" || status=$?
echo "e2e: engine=$engine finished in $(($(date +%s) - start))s with exit code $status"
exit "$status"
