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
  local names=() pids=() logs=() i spec
  for spec in "$@"; do
    local name=${spec%%|*} cmd=${spec#*|}
    names+=("$name")
    logs+=("$out/step-${name//[^a-z]/_}.log")
    (
      start=$SECONDS
      if bash -c "$cmd"; then
        echo "=== $name: ok ($((SECONDS - start)) s)"
      else
        echo "=== $name: FAILED ($((SECONDS - start)) s)"
        exit 1
      fi
    ) >"${logs[-1]}" 2>&1 &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    echo
    echo "=== ${names[$i]} ==="
    wait "${pids[$i]}" || failed_steps+=("${names[$i]}")
    cat "${logs[$i]}"
  done
}

# tsc, the bundler and the unit tests each keep about one core busy; side by side they fill two.
side_by_side "lint (biome)|npx biome check ." "typecheck|npm run --silent typecheck" "build|npm run --silent build" \
  "unit|npx vitest run --project unit --reporter=default --reporter=json --outputFile=$out/unit.json"

# The two engines' integration suites side by side, one test file at a time each: the PostgreSQL suite
# spends much of its time waiting on the database, which the SQLite suite fills.
int_workers=${KEPU_TEST_INT_WORKERS:-1}
integration() {
  echo "env KEPU_TEST_ENGINE=$1 KEPU_TEST_PG_URL=$pg_url npx vitest run --project integration" \
    "--maxWorkers=$int_workers --reporter=default --reporter=json --outputFile=$out/integration-$1.json"
}
if pg_up; then
  side_by_side "integration (sqlite)|$(integration sqlite)" "integration (postgres)|$(integration postgres)"
else
  side_by_side "integration (sqlite)|$(integration sqlite)"
  if [ "${CI:-}" = "true" ]; then
    echo "PostgreSQL is not reachable at $pg_url; CI may not skip it."
    failed_steps+=("integration (postgres): database unreachable")
  else
    echo "!!! SKIPPED integration (postgres): not reachable at $pg_url"
    skipped+=("integration (postgres)")
  fi
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
