#!/usr/bin/env bash
# The demo: deploys examples/hello-server to the `staging` stage on this machine with the local target.
#   v1  three migrations, two replicas
#   v2  adds a migration (a new table)
#   v3  ships a migration that fails: Slipway brings v2 back, the data stays as it was
# It sets up what is missing first (podman's API socket, PostgreSQL, Redis, a JRE base image built with jlink) and
# can be run again. Everything lives under .slipway-demo/ (git-ignored) and $SLIPWAY_ENV_DIR (~/.slipway-env).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/lib/local-env.sh"
work="$root/.slipway-demo"
app="$work/hello"
port=18080

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "1/6 local environment (podman API, PostgreSQL, Redis, JRE base image)"
slipway_env_up hello_staging
# shellcheck disable=SC1091
. "$SLIPWAY_ENV_DIR/env.sh"

say "2/6 building hello-server and the Slipway command line"
log="$(mktemp)"
if ! (cd "$root/examples/hello-server" && mvn -B -ntp -DskipTests package) >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  echo "demo: building hello-server failed; full log in $log" >&2
  exit 1
fi
rm -f "$log"
"$root/slipway" --version

say "3/6 a scratch git repository for hello-server in $app (the journal in $work/state.db is kept between demos)"
rm -rf "$app"
mkdir -p "$app/target" "$app/migrations" "$work/snapshots"
cp "$root/examples/hello-server/Containerfile" "$root/examples/hello-server/.dockerignore" "$app/"
cp "$root/examples/hello-server/target/hello-server.jar" "$app/target/"
touch "$app/migrations/.keep"
cat >"$app/slipway.yml" <<YAML
app: hello
build:
  context: .
  dockerfile: Containerfile
  args:
    BASE_IMAGE: ${SLIPWAY_JRE_IMAGE}
migrations:
  command: [java, -jar, /app/hello-server.jar, migrate]
  timeout: 2m
health:
  path: /healthz
  port: 8080
  timeout: 60s
stages:
  staging:
    branch: main
    target: local
    replicas: 2
    database:
      url: jdbc:postgresql://127.0.0.1:${SLIPWAY_PG_PORT}/hello_staging
      user: postgres
    redis:
      url: redis://127.0.0.1:${SLIPWAY_REDIS_PORT}/0
    environment:
      SHUTDOWN_GRACE_SECONDS: "2"
    snapshots:
      keep: 5
    local:
      port: ${port}
      stop-grace: 10s
      snapshot-dir: ../snapshots
YAML
git -C "$app" init -q -b main
git -C "$app" -c user.name=demo -c user.email=demo@localhost add -A
git -C "$app" -c user.name=demo -c user.email=demo@localhost commit -qm "v1: greetings"
export SLIPWAY_STATE_URL="jdbc:sqlite:$work/state.db"
deploy() { "$root/slipway" deploy staging -f "$app/slipway.yml"; }

say "4/6 deploy v1 ($(git -C "$app" rev-parse --short HEAD))"
deploy
curl -fsS "http://127.0.0.1:$port/" && echo
curl -fsS -X POST -H 'Content-Type: application/json' -d '{"name":"demo"}' "http://127.0.0.1:$port/greetings" && echo

say "5/6 deploy v2: a new migration (V4, a visits table)"
cp "$root/examples/hello-server/demo/v2/"*.sql "$app/migrations/"
git -C "$app" -c user.name=demo -c user.email=demo@localhost add -A
git -C "$app" -c user.name=demo -c user.email=demo@localhost commit -qm "v2: visits"
deploy
before="$(curl -fsS "http://127.0.0.1:$port/greetings")"

say "6/6 deploy v3: its migration (V5) fails, so Slipway brings v2 back"
cp "$root/examples/hello-server/demo/v3/"*.sql "$app/migrations/"
git -C "$app" -c user.name=demo -c user.email=demo@localhost add -A
git -C "$app" -c user.name=demo -c user.email=demo@localhost commit -qm "v3: broken migration"
set +e
deploy
code=$?
set -e
if [[ $code -ne 1 ]]; then
  echo "demo: expected v3 to fail and be rolled back (exit 1), got exit $code" >&2
  exit 1
fi
after="$(curl -fsS "http://127.0.0.1:$port/greetings")"
if [[ "$before" != "$after" ]]; then
  echo "demo: the greetings changed across the failed deploy: before $before, after $after" >&2
  exit 1
fi
echo "data intact: the greetings are the same as before v3"

echo
"$root/slipway" status -f "$app/slipway.yml"
echo
echo "hello-server (v2) is serving at http://127.0.0.1:$port/ and http://127.0.0.1:$((port + 1))/"
# the demo's journal is kept between demos, so v3's run number grows: name the one that just failed
v3_run="$("$root/slipway" runs --limit 1 --output json -f "$app/slipway.yml" | sed -n 's/^ *"id" : \([0-9]*\),*$/\1/p' | head -n 1)"
echo "try: SLIPWAY_STATE_URL=$SLIPWAY_STATE_URL $root/slipway runs -f $app/slipway.yml"
echo "     SLIPWAY_STATE_URL=$SLIPWAY_STATE_URL $root/slipway logs ${v3_run:-<RUN>} -f $app/slipway.yml"
