#!/usr/bin/env bash
# Lead time of the local pipeline with build ∥ snapshot against the same steps in sequence, alternating real
# deploys of hello-server on the demo's stage. The stage database is first filled with ROWS greetings so the
# snapshot (pg_dump) does real work. Usage: bench/local/lead-time.sh [rounds] [rows]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
app="$root/.slipway-demo/hello"
rounds="${1:-3}"
rows="${2:-300000}"
[[ -f "$app/slipway.yml" ]] || "$root/scripts/demo.sh"
. "$root/scripts/lib/local-env.sh"
# shellcheck disable=SC1091
. "$SLIPWAY_ENV_DIR/env.sh"
export SLIPWAY_STATE_URL="jdbc:sqlite:$root/.slipway-demo/state.db"
cd "$app"
if [[ -f migrations/V5__broken.sql ]]; then
  git rm -q migrations/V5__broken.sql
  git -c user.name=bench -c user.email=bench@localhost commit -qm "bench: drop the broken migration"
fi
have=$(psql -h 127.0.0.1 -p "$SLIPWAY_PG_PORT" -U postgres -d hello_staging -Atc "select count(*) from greetings")
if (( have < rows )); then
  echo "filling hello_staging.greetings up to $rows rows"
  psql -h 127.0.0.1 -p "$SLIPWAY_PG_PORT" -U postgres -d hello_staging -qc \
    "insert into greetings (name, name_length) select 'bench-' || g, length('bench-' || g) from generate_series(1, $rows - $have) g"
fi
echo "database: $(psql -h 127.0.0.1 -p "$SLIPWAY_PG_PORT" -U postgres -d hello_staging -Atc "select pg_size_pretty(pg_database_size('hello_staging'))")"
cd "$root"
mvn -q -B -ntp -DskipTests -pl slipway-cli -am install >/dev/null
mvn -q -B -ntp -pl slipway-cli test-compile >/dev/null
cpfile="$(mktemp)"
trap 'rm -f "$cpfile"' EXIT
mvn -q -B -ntp -pl slipway-cli dependency:build-classpath -Dmdep.outputFile="$cpfile" >/dev/null
java -cp "slipway-cli/target/classes:slipway-cli/target/test-classes:$(cat "$cpfile")" dev.slipway.cli.LeadTimeBench \
  "$app/slipway.yml" staging "$rounds"
