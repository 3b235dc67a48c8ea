#!/usr/bin/env bash
# Measures the engine's own cost per run (a deploy whose target does nothing) on the default SQLite store and,
# when SLIPWAY_TEST_PG_URL is set, on PostgreSQL. Target: under 300 ms per run. Usage: bench/engine-overhead.sh [runs]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -B -ntp -pl slipway-core -DskipTests test-compile >/dev/null
cpfile="$(mktemp)"
trap 'rm -f "$cpfile"' EXIT
mvn -q -B -ntp -pl slipway-core dependency:build-classpath -Dmdep.outputFile="$cpfile" >/dev/null
cp="slipway-core/target/classes:slipway-core/target/test-classes:$(cat "$cpfile")"
runs="${1:-200}"
java -cp "$cp" dev.slipway.core.bench.EngineOverheadBench "$runs"
if [[ -n "${SLIPWAY_TEST_PG_URL:-}" ]]; then
  echo
  java -cp "$cp" dev.slipway.core.bench.EngineOverheadBench "$runs" "$SLIPWAY_TEST_PG_URL"
fi
