# shellcheck shell=bash
# The chaos suite's own stage: hello-server as app `hellochaos`, stage `staging` on ports $CHAOS_PORT and +1,
# database $CHAOS_DB, Redis db 3, a SQLite journal and a snapshot directory under $work. Nothing here touches the
# demo's stage (app `hello`, port 18080, hello_staging) or the tests' containers: Slipway only lists containers by
# its app and stage labels, and ours carry app=hellochaos.
#
# The scratch repository $app follows the demo's layout (Containerfile, target/hello-server.jar committed,
# migrations/). Its branch `main` only ever holds good commits; failing commits are made detached on top of it.

CHAOS_APP=hellochaos
CHAOS_STAGE=staging
CHAOS_REPLICAS=2
port="${CHAOS_PORT:-18180}"
db="${CHAOS_DB:-hello_chaos}"
work="${CHAOS_WORK:-$root/bench/chaos/.work}"
app="$work/hello"
snapdir="$work/snapshots"
snapstage="$snapdir/$CHAOS_STAGE"
logdir="$work/logs"
deploy_timeout="${CHAOS_DEPLOY_TIMEOUT:-300}"
SLIPWAY="$root/slipway"

next_version=4        # V1-V3 are inside the jar
good_sha=""           # the tip of main: what is live after a good deploy
good_versions="1 2 3" # the schema versions main's tip applies

now_ms() { date +%s%3N; }
secs() { awk -v ms="$1" 'BEGIN { printf "%.1f", ms / 1000 }'; }
g() { git -C "$app" -c user.name=chaos -c user.email=chaos@localhost "$@"; }
sql() { psql -h 127.0.0.1 -p "$SLIPWAY_PG_PORT" -U postgres -d "$db" -tAqX -v ON_ERROR_STOP=1 -c "$1"; }
slipway_q() { SLIPWAY_PLAIN=1 "$SLIPWAY" "$@" -f "$app/slipway.yml" 2>&1; }

# Is process $1 running (not exited, not a zombie waiting to be reaped)?
alive() {
  local state
  state="$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ -n "$state" && "$state" != Z ]]
}

# Waits up to $2 s for child $1 to end; WAIT_RC is its exit code, or 124 when it had to be killed.
wait_exit() {
  local pid="$1" deadline=$(($(date +%s) + $2))
  while alive "$pid"; do
    if (($(date +%s) >= deadline)); then
      kill -9 "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      forget_pid "$pid"
      WAIT_RC=124
      return 0
    fi
    sleep 0.1
  done
  WAIT_RC=0
  wait "$pid" 2>/dev/null || WAIT_RC=$?
  forget_pid "$pid"
}

# Once reaped, a pid may be reused by any process of the machine: it is no longer ours to check or kill.
forget_pid() {
  local p kept=()
  for p in "${OUR_PIDS[@]}"; do [[ "$p" == "$1" ]] || kept+=("$p"); done
  OUR_PIDS=("${kept[@]}")
}

# Starts `slipway deploy staging` from checkout $2 (default $app) in the background, output in $1; DEPLOY_PID is
# the JVM (the launcher execs java, so $! is the java process once it has started).
start_deploy() {
  local out="$1" dir="${2:-$app}"
  SLIPWAY_PLAIN=1 "$SLIPWAY" deploy "$CHAOS_STAGE" -f "$dir/slipway.yml" >"$out" 2>&1 </dev/null &
  DEPLOY_PID=$!
  OUR_PIDS+=("$DEPLOY_PID")
}

# Runs a deploy to its end (bounded); DEPLOY_RC and DEPLOY_MS say how it went.
run_deploy() {
  local out="$1" t0
  t0="$(now_ms)"
  start_deploy "$out" "${2:-$app}"
  wait_exit "$DEPLOY_PID" "$deploy_timeout"
  DEPLOY_RC=$WAIT_RC
  DEPLOY_MS=$(($(now_ms) - t0))
}

stage_setup() {
  . "$root/scripts/lib/local-env.sh"
  slipway_env_up "$db" >"$logdir/env.log" 2>&1 || { cat "$logdir/env.log" >&2; return 1; }
  # shellcheck disable=SC1091
  . "$SLIPWAY_ENV_DIR/env.sh"
  stage_clean
  dropdb -h 127.0.0.1 -p "$SLIPWAY_PG_PORT" -U postgres --if-exists "$db"
  createdb -h 127.0.0.1 -p "$SLIPWAY_PG_PORT" -U postgres "$db"
  rm -rf "$app" "$snapdir" "$work/state.db" "$work/state.db-wal" "$work/state.db-shm" "$work/five"
  export SLIPWAY_STATE_URL="jdbc:sqlite:$work/state.db"
  if [[ ! -f "$root/examples/hello-server/target/hello-server.jar" ]]; then
    (cd "$root/examples/hello-server" && mvn -B -ntp -q -DskipTests package) >"$logdir/hello-build.log" 2>&1 ||
      { tail -n 30 "$logdir/hello-build.log" >&2; return 1; }
  fi
  "$SLIPWAY" --version >/dev/null
  repo_init
}

# Removes everything of the stage: containers, images, the journal's and snapshots' files stay for stage_setup.
stage_clean() {
  local ids
  ids="$(podman ps -aq --filter "label=slipway.app=$CHAOS_APP" 2>/dev/null || true)"
  [[ -z "$ids" ]] || podman rm -f $ids >/dev/null 2>&1 || true
  ids="$(podman images -q --filter "label=slipway.app=$CHAOS_APP" 2>/dev/null | sort -u || true)"
  [[ -z "$ids" ]] || podman rmi -f $ids >/dev/null 2>&1 || true
}

repo_init() {
  mkdir -p "$app/target" "$app/migrations" "$snapdir"
  cp "$root/examples/hello-server/Containerfile" "$root/examples/hello-server/.dockerignore" "$app/"
  cp "$root/examples/hello-server/target/hello-server.jar" "$app/target/"
  touch "$app/migrations/.keep"
  cat >"$app/slipway.yml" <<YAML
app: $CHAOS_APP
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
timeouts:
  build: 5m
  snapshot: 2m
  stop: 2m
  deploy: 2m
  compensate: 3m
stages:
  $CHAOS_STAGE:
    branch: main
    target: local
    replicas: $CHAOS_REPLICAS
    database:
      url: jdbc:postgresql://127.0.0.1:${SLIPWAY_PG_PORT}/$db
      user: postgres
    redis:
      url: redis://127.0.0.1:${SLIPWAY_REDIS_PORT}/3
    environment:
      SHUTDOWN_GRACE_SECONDS: "2"
    snapshots:
      keep: 5
    local:
      port: $port
      stop-grace: 10s
      snapshot-dir: $snapdir
YAML
  g init -q -b main
  g add -A
  g commit -qm "v1: hello-server with the jar's migrations V1-V3"
  good_sha="$(g rev-parse HEAD)"
}

# A good commit on main: one more migration (a table with one row). Prints nothing; sets COMMIT_SHA.
commit_good() {
  local v=$next_version
  next_version=$((v + 1))
  g checkout -q main
  printf -- '-- chaos: a good migration of commit V%s\ncreate table chaos_v%s (id int primary key, note text not null);\ninsert into chaos_v%s values (1, %s);\n' \
    "$v" "$v" "$v" "'V$v'" >"$app/migrations/V${v}__chaos_v${v}.sql"
  g add -A
  g commit -qm "good: V$v adds table chaos_v$v"
  COMMIT_SHA="$(g rev-parse HEAD)"
  good_sha="$COMMIT_SHA"
  good_versions="$good_versions $v"
}

# A commit on top of main whose migration fails part way (as the demo's v3). The stage's default preflight runs it on
# a scratch copy first: the deploy fails before anything stops, exit 1, the old release never stopped.
commit_bad_migration() {
  local v=$next_version
  next_version=$((v + 1))
  g checkout -q --detach main
  printf -- '-- chaos: fails after creating a table; PostgreSQL rolls the whole migration back\ncreate table broken_v%s (id int);\ninsert into broken_v%s (id) select no_such_column from greetings;\n' \
    "$v" "$v" >"$app/migrations/V${v}__broken.sql"
  g add -A
  g commit -qm "bad: V$v fails"
  COMMIT_SHA="$(g rev-parse HEAD)"
}

# The same failing migration in a commit whose slipway.yml says preflight: false, so that it fails in the migrate step
# after stop-old and the deploy must roll back: what kills and SIGTERMs during compensation after a migration need.
commit_late_migration() {
  commit_bad_migration
  sed -i "s/^    replicas: $CHAOS_REPLICAS\$/&\n    preflight: false/" "$app/slipway.yml"
  grep -q '^    preflight: false$' "$app/slipway.yml" || { echo "chaos: cannot make the late-migration commit" >&2; return 1; }
  g add -A
  g commit -qm "bad, without preflight: the migration fails after stop-old"
  COMMIT_SHA="$(g rev-parse HEAD)"
}

# A commit on top of main whose migrations succeed but whose server exits at start: health fails, roll back.
commit_bad_health() {
  g checkout -q --detach main
  sed -i 's/^CMD .*/CMD ["crash-on-start"]/' "$app/Containerfile"
  grep -q crash-on-start "$app/Containerfile" || { echo "chaos: cannot make the failing-health commit" >&2; return 1; }
  g add -A
  g commit -qm "bad: the server exits at start (unknown command)"
  COMMIT_SHA="$(g rev-parse HEAD)"
}

checkout() { g checkout -q --detach "$1"; }
