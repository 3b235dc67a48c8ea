#!/usr/bin/env bash
# The demo: deploys examples/hello-server to the `staging` stage on this machine with the local target, a Caddy
# reverse proxy owning the stage's port, a preflight and `strategy: auto`, under a small background load (hey):
#   v1  three migrations, two replicas
#   v2  an expand migration (a new table): deployed online, the old release serves until the new one is verified
#   v3  a migration that fails: the preflight catches it on a scratch copy of the database, v2 keeps serving
#   v4  a breaking migration (drops a column): stop-first, the proxy holds requests through the gap
# After each deploy it prints the load's counts. It sets up what is missing first (podman's API socket, PostgreSQL,
# Redis, Caddy, hey, a JRE base image built with jlink) and can be run again. Everything lives under .slipway-demo/
# (git-ignored; the journal .slipway-demo/state.db is kept between demos) and $SLIPWAY_ENV_DIR (~/.slipway-env).
# Another checkout's demo on the same machine owns app `hello`'s staging containers: give this one another app
# and database with DEMO_APP=hello2 DEMO_DB=hello_2 (the database name must start with a letter; ports stay).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/lib/local-env.sh"
. "$root/scripts/lib/load.sh"
work="$root/.slipway-demo"
app="$work/hello"
port=18080
url="http://127.0.0.1:$port"
demo_app="${DEMO_APP:-hello}"
demo_db="${DEMO_DB:-hello_staging}"
trap load_stop EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
commit() { git -C "$app" -c user.name=demo -c user.email=demo@localhost commit -qm "$1"; }
# The journal is named in slipway.yml (state.url), so a SLIPWAY_STATE_URL from the caller's shell must not win.
unset SLIPWAY_STATE_URL
deploy() { "$root/slipway" deploy staging -f "$app/slipway.yml"; }
# Deploys under the background load; $1 is the exit code the deploy must end with.
deploy_under_load() {
  local code=0
  load_start "$url/greetings"
  deploy || code=$?
  load_stop
  if [[ $code -ne $1 ]]; then
    echo "demo: expected the deploy to exit $1, it exited $code" >&2
    exit 1
  fi
}

say "1/7 local environment (podman API, PostgreSQL, Redis, Caddy, hey, JRE base image)"
slipway_env_up "$demo_db"
# shellcheck disable=SC1091
. "$SLIPWAY_ENV_DIR/env.sh"

say "2/7 building hello-server and the Slipway command line"
log="$(mktemp)"
if ! (cd "$root/examples/hello-server" && mvn -B -ntp -DskipTests package) >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "demo: building hello-server failed; full log in $log" >&2
  exit 1
fi
rm -f "$log"
"$root/slipway" --version

say "3/7 a scratch git repository for hello-server in $app (the journal $work/state.db is kept between demos)"
# .slipway/ stays: it holds the stage's proxy (its pid and config), which keeps running between demos
mkdir -p "$app"
find "$app" -mindepth 1 -maxdepth 1 ! -name .slipway -exec rm -rf {} +
mkdir -p "$app/target" "$app/migrations" "$work/snapshots"
cp "$root/examples/hello-server/Containerfile" "$root/examples/hello-server/.dockerignore" "$app/"
cp "$root/examples/hello-server/target/hello-server.jar" "$app/target/"
touch "$app/migrations/.keep"
cat >"$app/slipway.yml" <<YAML
app: ${demo_app}
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
  staging:
    branch: main
    target: local
    replicas: 2
    strategy: auto
    preflight: true
    database:
      url: jdbc:postgresql://127.0.0.1:${SLIPWAY_PG_PORT}/${demo_db}
      user: postgres
    redis:
      url: redis://127.0.0.1:${SLIPWAY_REDIS_PORT}/0
    environment:
      SHUTDOWN_GRACE_SECONDS: "2"
    snapshots:
      keep: 5
    local:
      port: ${port}
      proxy: caddy
      proxy-admin: 29080
      stop-grace: 10s
      snapshot-dir: ../snapshots
YAML
git -C "$app" init -q -b main
git -C "$app" add -A
commit "v1: greetings"

# An earlier demo left the stage's database at v4's schema, where v3's V5 would fail on Flyway's checksum of the V5
# already applied instead of on its own broken statement: the story starts from an empty database again (the journal,
# its runs and the earlier snapshots stay).
if [[ -n "$(psql -h 127.0.0.1 -p "$SLIPWAY_PG_PORT" -U postgres -d "$demo_db" -tAc "select to_regclass('public.flyway_schema_history')")" ]]; then
  dropdb -h 127.0.0.1 -p "$SLIPWAY_PG_PORT" -U postgres --force "$demo_db"
  createdb -h 127.0.0.1 -p "$SLIPWAY_PG_PORT" -U postgres "$demo_db"
  echo "demo: database $demo_db emptied for the story (an earlier demo's snapshots stay in $root/.slipway-demo/snapshots)"
fi

say "4/7 deploy v1 ($(git -C "$app" rev-parse --short HEAD))"
deploy
curl -fsS "$url/" && echo
curl -fsS -X POST -H 'Content-Type: application/json' -d '{"name":"demo"}' "$url/greetings" && echo

say "5/7 deploy v2 under load: an expand migration (V4, a visits table), so online"
cp "$root/examples/hello-server/demo/v2/"*.sql "$app/migrations/"
git -C "$app" add -A
commit "v2: visits"
deploy_under_load 0
before="$(curl -fsS "$url/greetings")"

say "6/7 deploy v3 under load: its migration (V5) fails in the preflight, before anything stops; v2 keeps serving"
cp "$root/examples/hello-server/demo/v3/"*.sql "$app/migrations/"
git -C "$app" add -A
commit "v3: broken migration"
deploy_under_load 1
after="$(curl -fsS "$url/greetings")"
if [[ "$before" != "$after" ]]; then
  echo "demo: the greetings changed across the failed deploy: before $before, after $after" >&2
  exit 1
fi
echo "data intact: the greetings are the same as before v3"

say "7/7 deploy v4 under load: V5 now drops a column (breaking), so stop-first with the proxy holding requests"
git -C "$app" rm -q migrations/V5__broken.sql
cp "$root/examples/hello-server/demo/v4/"*.sql "$app/migrations/"
git -C "$app" add -A
commit "v4: drop visits.path"
deploy_under_load 0
curl -fsS "$url/" && echo

echo
"$root/slipway" status -f "$app/slipway.yml"
echo
echo "hello-server (v4) is serving at $url/ through Caddy (admin and metrics: http://127.0.0.1:29080/metrics)"
# the demo's journal is kept between demos, so run numbers grow: name the runs of this demo
runs="$("$root/slipway" runs --limit 2 --output json -f "$app/slipway.yml" | sed -n 's/^ *"id" : \([0-9]*\),*$/\1/p')"
v4_run="$(sed -n 1p <<<"$runs")"
v3_run="$(sed -n 2p <<<"$runs")"
echo "try: $root/slipway runs -f $app/slipway.yml"
echo "     $root/slipway logs ${v3_run:-<RUN>} -f $app/slipway.yml      # v3: the preflight's failure"
echo "     $root/slipway logs ${v4_run:-<RUN>} -f $app/slipway.yml      # v4: why stop-first"
