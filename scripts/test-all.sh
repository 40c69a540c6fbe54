#!/usr/bin/env bash
# Runs every suite: lint, types, unit, integration on SQLite and PostgreSQL, browser on both.
# With CI=true nothing may be skipped: a missing browser or database fails the run.
set -uo pipefail
cd "$(dirname "$0")/.."

out=.test-out
rm -rf "$out" && mkdir -p "$out"
failed_steps=()
skipped=()

step() {
  local name=$1
  shift
  echo
  echo "=== $name ==="
  local start=$SECONDS
  if "$@"; then
    echo "=== $name: ok ($((SECONDS - start)) s)"
  else
    echo "=== $name: FAILED ($((SECONDS - start)) s)"
    failed_steps+=("$name")
  fi
}

pg_url=${KEPU_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
pg_up() {
  node -e '
    const pg = require("pg");
    const c = new pg.Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
    c.connect().then(() => c.end()).then(() => process.exit(0), () => process.exit(1));
  ' "$pg_url"
}

# Steps side by side, each given as "name|command": their logs are printed one after the other.
side_by_side() {
  local names=() pids=() i spec
  i=0
  for spec in "$@"; do
    local name=${spec%%|*} cmd=${spec#*|}
    names+=("$name")
    (
      start=$SECONDS
      if bash -c "$cmd"; then
        echo "=== $name: ok ($((SECONDS - start)) s)"
      else
        echo "=== $name: FAILED ($((SECONDS - start)) s)"
        exit 1
      fi
    ) >"$out/side-$i.log" 2>&1 &
    pids+=($!)
    i=$((i + 1))
  done
  for i in "${!pids[@]}"; do
    echo
    echo "=== ${names[$i]} ==="
    wait "${pids[$i]}" || failed_steps+=("${names[$i]}")
    cat "$out/side-$i.log"
  done
}

# tsc and the bundler each keep about one core busy: on two cores they take the time of the longer.
side_by_side "lint (biome)|npx biome check ." "typecheck|npm run --silent typecheck" "build|npm run --silent build"
step "unit" npx vitest run --project unit --reporter=default --reporter=json --outputFile="$out/unit.json"
step "integration (sqlite)" env KEPU_TEST_ENGINE=sqlite npx vitest run --project integration \
  --reporter=default --reporter=json --outputFile="$out/integration-sqlite.json"

if pg_up; then
  step "integration (postgres)" env KEPU_TEST_ENGINE=postgres KEPU_TEST_PG_URL="$pg_url" \
    npx vitest run --project integration --reporter=default --reporter=json --outputFile="$out/integration-postgres.json"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is not reachable at $pg_url; CI may not skip it."
  failed_steps+=("integration (postgres): database unreachable")
else
  echo "!!! SKIPPED integration (postgres): not reachable at $pg_url"
  skipped+=("integration (postgres)")
fi

e2e() {
  local engine=$1
  bash tests/e2e/run.sh "$engine" 2>&1 | tee "$out/e2e-$engine.log"
  return "${PIPESTATUS[0]}"
}
step "browser (sqlite)" e2e sqlite
if pg_up; then
  step "browser (postgres)" e2e postgres
elif [ "${CI:-}" != "true" ]; then
  skipped+=("browser (postgres)")
else
  failed_steps+=("browser (postgres): database unreachable")
fi

node scripts/test-summary.mjs "$out" "${#failed_steps[@]}" "${skipped[*]:-}"
status=$?
if [ ${#failed_steps[@]} -gt 0 ]; then
  printf 'Failed steps: %s\n' "${failed_steps[*]}"
  exit 1
fi
exit $status
