#!/usr/bin/env bash
# Downtime of local-target deploys as a client sees it. hey (Debian) sends a constant, bounded load on loopback
# (LOAD_WORKERS x LOAD_RATE requests/s for LOAD_SECONDS, GET /greetings, which reads the database) through the
# stage's port while `slipway deploy` ships one of four commits of hello-server:
#   none      no migration (an empty commit)
#   expand    adds a table and a nullable column to greetings
#   breaking  drops that column again (the code never reads it)
#   failing   a migration that fails part way (then reverted, so the next round starts clean)
# Each commit goes to two stages of the same app: `proxied` (local.proxy: caddy, strategy: auto, preflight: true)
# and `plain` (no proxy, strategy: stop-first: how every local deploy ran before the proxy).
# Everything lives under .slipway-bench/ (git-ignored) and the databases bench_proxied, bench_plain.
# Usage: bench/local/downtime.sh [rounds]     (default 1; prints a markdown table)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds="${1:-1}"
workers="${LOAD_WORKERS:-4}"
rate="${LOAD_RATE:-25}"          # per worker
seconds="${LOAD_SECONDS:-90}"    # must outlast a deploy: the script says so when it did not
sent=$((workers * rate * seconds))
work="$root/.slipway-bench"
app="$work/hello"
. "$root/scripts/lib/local-env.sh"
slipway_env_up bench_proxied bench_plain >/dev/null
# shellcheck disable=SC1091
. "$SLIPWAY_ENV_DIR/env.sh"
unset SLIPWAY_STATE_URL # the journal is the one slipway.yml names

if [[ ! -f "$root/examples/hello-server/target/hello-server.jar" ]]; then
  (cd "$root/examples/hello-server" && mvn -B -ntp -q -DskipTests package)
fi
mkdir -p "$app"
find "$app" -mindepth 1 -maxdepth 1 ! -name .slipway -exec rm -rf {} +
mkdir -p "$app/target" "$app/migrations" "$work/snapshots" "$work/logs"
cp "$root/examples/hello-server/Containerfile" "$root/examples/hello-server/.dockerignore" "$app/"
cp "$root/examples/hello-server/target/hello-server.jar" "$app/target/"
touch "$app/migrations/.keep"
stage_yaml() { # name branch port db extra-local-keys strategy preflight
  cat <<YAML
  $1:
    branch: $2
    target: local
    replicas: 2
    strategy: $6
    preflight: $7
    database:
      url: jdbc:postgresql://127.0.0.1:${SLIPWAY_PG_PORT}/$4
      user: postgres
    redis:
      url: redis://127.0.0.1:${SLIPWAY_REDIS_PORT}/1
    environment:
      SHUTDOWN_GRACE_SECONDS: "2"
    local:
      port: $3
      stop-grace: 10s
      snapshot-dir: ../snapshots$5
YAML
}
{
  cat <<YAML
app: bench
build:
  context: .
  dockerfile: Containerfile
  args:
    BASE_IMAGE: ${SLIPWAY_JRE_IMAGE}
migrations:
  command: [java, -jar, /app/hello-server.jar, migrate]
  files: [migrations/*.sql]
  timeout: 2m
health:
  path: /healthz
  port: 8080
  timeout: 60s
state:
  url: jdbc:sqlite:$work/state.db
stages:
YAML
  stage_yaml proxied main 18090 bench_proxied $'\n      proxy: caddy\n      proxy-admin: 29090' auto true
  stage_yaml plain plain 18094 bench_plain "" stop-first false
} >"$app/slipway.yml"
url_of() { [[ $1 == proxied ]] && echo http://127.0.0.1:18090/greetings || echo http://127.0.0.1:18094/greetings; }
git -C "$app" init -q -b main 2>/dev/null || true
commit() { git -C "$app" add -A && git -C "$app" -c user.name=bench -c user.email=bench@localhost commit -q --allow-empty -m "$1"; }
commit "bench: hello-server"
deploy() { "$root/slipway" deploy "$1" -f "$app/slipway.yml" --commit "$(git -C "$app" rev-parse HEAD)" "${@:2}"; }
for stage in proxied plain; do # the release every round starts from, deployed without load
  deploy "$stage" >"$work/logs/setup-$stage.log" 2>&1 || { cat "$work/logs/setup-$stage.log" >&2; exit 1; }
done

# The next Flyway version: one above the highest under migrations/ (3 is the newest inside the jar).
next_version() {
  local v
  v="$(find "$app/migrations" -name 'V*__*.sql' -printf '%f\n' | sed 's/^V\([0-9]*\)__.*/\1/' | sort -n | tail -n 1)"
  echo $(( ${v:-3} + 1 ))
}

# Deploys HEAD to $1 under load, expecting exit $2; prints one table row.
measure() {
  local stage="$1" expect="$2" scenario="$3" round="$4" csv log t0 t1 code=0
  csv="$work/logs/r$round-$scenario-$stage.csv"
  log="$work/logs/r$round-$scenario-$stage.log"
  t0=$(date +%s%N)
  hey -n "$sent" -c "$workers" -q "$rate" -t 60 -o csv "$(url_of "$stage")" >"$csv" &
  local hey_pid=$!
  deploy "$stage" >"$log" 2>&1 || code=$?
  t1=$(date +%s%N)
  wait "$hey_pid"
  local took=$(( (t1 - t0) / 1000000 ))
  local note="" how
  [[ $code -eq $expect ]] || note=" (expected exit $expect: see $log)"
  (( took < seconds * 1000 - 1000 )) || note="$note (the deploy outlasted the load: raise LOAD_SECONDS)"
  how="$(grep -o -m 1 'strategy: [a-z-]*' "$log" || true)"
  printf '| %s | %s | %s | %s | exit %s, %s s | %s |%s\n' "$round" "$scenario" "$stage" "${how#strategy: }" "$code" \
    "$(awk -v t="$took" 'BEGIN { printf "%.1f", t / 1000 }')" "$(java "$root/scripts/lib/LoadReport.java" "$csv" "$sent" --row)" "$note"
}

echo "load: hey, $workers workers x $rate requests/s for $seconds s ($sent requests) per deploy, GET /greetings"
echo
echo "| round | migration | stage | order | deploy | failed | p50 | p99 | max | longest gap |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for ((r = 1; r <= rounds; r++)); do
  commit "bench round $r: no migration"
  measure proxied 0 none "$r"; measure plain 0 none "$r"

  v="$(next_version)"
  printf 'alter table greetings add column bench_note_%s text;\ncreate table bench_expand_%s (id bigserial primary key, note text);\n' "$r" "$r" \
    >"$app/migrations/V${v}__bench_expand_$r.sql"
  commit "bench round $r: expand"
  measure proxied 0 expand "$r"; measure plain 0 expand "$r"

  printf 'alter table greetings drop column bench_note_%s;\n' "$r" >"$app/migrations/V$((v + 1))__bench_breaking_$r.sql"
  commit "bench round $r: breaking"
  measure proxied 0 breaking "$r"; measure plain 0 breaking "$r"

  printf 'create table bench_failing_%s (id int);\ninsert into bench_failing_%s select no_such_column from greetings;\n' "$r" "$r" \
    >"$app/migrations/V$((v + 2))__bench_failing_$r.sql"
  commit "bench round $r: failing"
  measure proxied 1 failing "$r"; measure plain 1 failing "$r"
  git -C "$app" rm -q "migrations/V$((v + 2))__bench_failing_$r.sql"
  commit "bench round $r: revert the failing migration"
done
echo
echo "logs, hey's CSV files and the runs' journal: $work/logs, $work/state.db"
