# shellcheck shell=bash source-path=SCRIPTDIR
# Local environment for Slipway's `local` target, demo and end-to-end tests: a container engine with a
# Docker API socket (podman, or a real Docker when one answers), PostgreSQL, Redis, an OCI registry and a
# Java 17 base image built from the host JDK. Every function is idempotent: it checks, and acts only when
# something is missing, printing one line per thing it finds or does.
#
#   source scripts/lib/local-env.sh
#   slipway_env_up hello_staging slipway_state      # then: source "$SLIPWAY_ENV_DIR/env.sh"
#   slipway_env_down
#
# State lives under SLIPWAY_ENV_DIR (default ~/.slipway-env). Ports: SLIPWAY_PG_PORT (55432),
# SLIPWAY_REDIS_PORT (16379), SLIPWAY_REGISTRY_PORT (5000). Everything listens on 127.0.0.1 only;
# containers reach it by running with host networking (`--network host`), which the local target uses.
#
# The functions return non-zero on failure instead of exiting, so the file can be sourced into an
# interactive shell; scripts/env-up.sh and env-down.sh run them under `set -euo pipefail`.

SLIPWAY_ENV_DIR="${SLIPWAY_ENV_DIR:-$HOME/.slipway-env}"
SLIPWAY_PG_PORT="${SLIPWAY_PG_PORT:-55432}"
SLIPWAY_REDIS_PORT="${SLIPWAY_REDIS_PORT:-16379}"
SLIPWAY_REGISTRY_PORT="${SLIPWAY_REGISTRY_PORT:-5000}"
SLIPWAY_JRE_IMAGE="${SLIPWAY_JRE_IMAGE:-localhost/slipway-jre:17}"
# The union of what examples/hello-server needs (jdeps --print-module-deps on its shaded jar) and what
# the usual JDBC/HTTP/JSON libraries load; override to build a smaller or larger base image.
SLIPWAY_JRE_MODULES="${SLIPWAY_JRE_MODULES:-java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.security.sasl,java.sql,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.unsupported,jdk.zipfs}"

_slipway_log() { printf '%s\n' "$*"; }
_slipway_err() { printf 'error: %s\n' "$*" >&2; }
_slipway_is_root() { [ "$(id -u)" -eq 0 ]; }

# Polls "$@" every 0.2 s until it succeeds or SECONDS_MAX (first argument) pass.
_slipway_wait_for() {
    local max_tenths=$(($1 * 5)) i=0
    shift
    until "$@" >/dev/null 2>&1; do
        i=$((i + 1))
        [ "$i" -ge "$max_tenths" ] && return 1
        sleep 0.2
    done
}

# Is the process in pid file $1 alive and does its command line contain $2?
_slipway_pid_alive() {
    local pid
    [ -f "$1" ] || return 1
    pid="$(cat "$1")"
    [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$2"
}

# Starts "$@" detached (own session, survives the calling shell), logging to $1; the process itself
# writes its pid to $2 before it becomes the command, so the pid file names the real process.
_slipway_start_detached() {
    local log="$1" pidfile="$2"
    shift 2
    rm -f "$pidfile"
    # From /: a service keeps its working directory for its whole life, and podman's conmon fails ("Failed to get
    # working directory", every container start answered 500) once the directory it was started in is deleted.
    # shellcheck disable=SC2016 # expanded by the inner sh
    (cd / && exec setsid sh -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" >"$log" 2>&1 </dev/null) &
    _slipway_wait_for 5 test -s "$pidfile"
}

# Writes $2 into file $1 only when it differs; prints what it did under the label $3.
_slipway_write_file() {
    if [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; then
        return 0
    fi
    printf '%s\n' "$2" >"$1"
    _slipway_log "$3: wrote $1"
}

_slipway_pg_bin() {
    local dir
    dir="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    if [ -z "$dir" ] || [ ! -x "$dir/pg_ctl" ]; then
        _slipway_err "PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)"
        return 1
    fi
    printf '%s\n' "$dir"
}

_slipway_pkg_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# ---------------------------------------------------------------------------------------------------
slipway_env_install_packages() {
    local missing=()
    command -v podman >/dev/null 2>&1 || missing+=(podman)
    command -v runc >/dev/null 2>&1 || missing+=(runc)
    command -v newuidmap >/dev/null 2>&1 || missing+=(uidmap)
    command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
    command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
    ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
    _slipway_pkg_installed busybox-static || missing+=(busybox-static)
    command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
    command -v curl >/dev/null 2>&1 || missing+=(curl)
    command -v caddy >/dev/null 2>&1 || missing+=(caddy) # the reverse proxy of stages with local.proxy: caddy
    command -v hey >/dev/null 2>&1 || missing+=(hey)     # the load generator of the demo and bench/local/downtime.sh
    command -v jlink >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
    if [ -n "${SLIPWAY_WITH_TEST_TOOLS:-}" ]; then # what only the tests use (scripts/test.sh sets it)
        command -v prometheus-pushgateway >/dev/null 2>&1 || missing+=(prometheus-pushgateway)
        command -v promtool >/dev/null 2>&1 || missing+=(prometheus) # ObservabilityIT: prometheus and promtool
    fi
    if [ "${#missing[@]}" -eq 0 ]; then
        _slipway_log "packages: all present"
        return 0
    fi
    if ! _slipway_is_root; then
        _slipway_err "missing packages: ${missing[*]}; install them as root with:"
        _slipway_err "  apt-get update && apt-get install -y ${missing[*]}"
        return 1
    fi
    _slipway_log "packages: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || return 1
    apt-get install -y -qq "${missing[@]}" || return 1
    _slipway_log "packages: installed ${missing[*]}"
}

# ---------------------------------------------------------------------------------------------------
_slipway_docker_answers() {
    curl -fs --max-time 2 --unix-socket "$1" http://d/_ping 2>/dev/null | grep -q OK
}

_slipway_env_podman_exports() {
    export CONTAINERS_CONF="$SLIPWAY_ENV_DIR/containers.conf"
    export CONTAINERS_REGISTRIES_CONF="$SLIPWAY_ENV_DIR/registries.conf"
    export DOCKER_HOST="unix://$SLIPWAY_ENV_DIR/podman.sock"
}

_slipway_env_podman_config() {
    _slipway_write_file "$SLIPWAY_ENV_DIR/containers.conf" '# written by slipway local-env.sh
# crun fails on hybrid cgroups here; the default ulimits need CAP_SYS_RESOURCE.
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"' podman
    _slipway_write_file "$SLIPWAY_ENV_DIR/registries.conf" "# written by slipway local-env.sh
unqualified-search-registries = [\"docker.io\"]

[[registry]]
location = \"127.0.0.1:$SLIPWAY_REGISTRY_PORT\"
insecure = true

[[registry]]
location = \"localhost:$SLIPWAY_REGISTRY_PORT\"
insecure = true" podman
}

slipway_env_podman() {
    mkdir -p "$SLIPWAY_ENV_DIR" || return 1
    if [ -z "${SLIPWAY_USE_PODMAN:-}" ] && _slipway_docker_answers /var/run/docker.sock; then
        export DOCKER_HOST="unix:///var/run/docker.sock"
        _slipway_log "containers: using Docker at /var/run/docker.sock (set SLIPWAY_USE_PODMAN=1 for podman)"
        return 0
    fi
    _slipway_env_podman_config || return 1
    _slipway_env_podman_exports
    local sock="$SLIPWAY_ENV_DIR/podman.sock"
    if _slipway_docker_answers "$sock"; then
        _slipway_log "podman: API already answering at $sock"
        return 0
    fi
    rm -f "$sock"
    _slipway_start_detached "$SLIPWAY_ENV_DIR/podman.log" "$SLIPWAY_ENV_DIR/podman.pid" \
        podman system service --time=0 "unix://$sock"
    if ! _slipway_wait_for 30 _slipway_docker_answers "$sock"; then
        _slipway_err "podman API did not answer at $sock within 30 s; see $SLIPWAY_ENV_DIR/podman.log"
        return 1
    fi
    _slipway_log "podman: API started at $sock (pid $(cat "$SLIPWAY_ENV_DIR/podman.pid"))"
}

# ---------------------------------------------------------------------------------------------------
_slipway_as_pg() {
    if _slipway_is_root; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# The cluster's directory. As root with a private home (/root is 0700) the postgres user cannot reach
# $SLIPWAY_ENV_DIR, so the cluster then lives in /var/tmp and $SLIPWAY_ENV_DIR/pg links to it.
_slipway_pg_dir() {
    local dir="$SLIPWAY_ENV_DIR/pg"
    if [ -L "$dir" ]; then
        readlink -f "$dir"
    elif ! _slipway_is_root || runuser -u postgres -- test -x "$SLIPWAY_ENV_DIR" 2>/dev/null; then
        printf '%s\n' "$dir"
    else
        printf '/var/tmp/slipway-env-pg-%s\n' "$(printf '%s' "$SLIPWAY_ENV_DIR" | cksum | cut -d' ' -f1)"
    fi
}

_slipway_pg_prepare_dir() {
    local dir="$1"
    mkdir -p "$dir" || return 1
    if [ "$dir" != "$SLIPWAY_ENV_DIR/pg" ] && [ ! -e "$SLIPWAY_ENV_DIR/pg" ]; then
        ln -s "$dir" "$SLIPWAY_ENV_DIR/pg" || return 1
        _slipway_log "postgres: user postgres cannot enter $SLIPWAY_ENV_DIR; cluster kept in $dir (linked as $SLIPWAY_ENV_DIR/pg)"
    fi
    if _slipway_is_root; then
        chown postgres:postgres "$dir" || return 1
    fi
    chmod 0700 "$dir"
}

_slipway_pg_ready() {
    "$1/pg_isready" -q -h 127.0.0.1 -p "$SLIPWAY_PG_PORT"
}

slipway_env_postgres() {
    local bin dir db
    bin="$(_slipway_pg_bin)" || return 1
    mkdir -p "$SLIPWAY_ENV_DIR" || return 1
    dir="$(_slipway_pg_dir)"
    if _slipway_pg_ready "$bin"; then
        _slipway_log "postgres: already running on 127.0.0.1:$SLIPWAY_PG_PORT"
    else
        _slipway_pg_prepare_dir "$dir" || return 1
        if [ ! -f "$dir/data/PG_VERSION" ]; then
            _slipway_as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale --no-sync \
                >"$dir/initdb.log" 2>&1 || { _slipway_err "initdb failed, see $dir/initdb.log"; return 1; }
            _slipway_log "postgres: initialized a trust-auth cluster in $dir/data"
        fi
        _slipway_as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 30 start \
            -o "-k $dir -h 127.0.0.1 -p $SLIPWAY_PG_PORT" >/dev/null ||
            { _slipway_err "postgres did not start, see $dir/log"; return 1; }
        _slipway_log "postgres: started on 127.0.0.1:$SLIPWAY_PG_PORT (user postgres, no password)"
    fi
    for db in "$@"; do
        slipway_env_create_database "$db" || return 1
    done
}

slipway_env_create_database() {
    local bin db="$1"
    if ! [[ "$db" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
        _slipway_err "database name '$db' must match [A-Za-z_][A-Za-z0-9_]*"
        return 1
    fi
    bin="$(_slipway_pg_bin)" || return 1
    if [ "$("$bin/psql" -h 127.0.0.1 -p "$SLIPWAY_PG_PORT" -U postgres -d postgres -tAc \
        "select 1 from pg_database where datname = '$db'")" = 1 ]; then
        _slipway_log "postgres: database $db exists"
        return 0
    fi
    "$bin/createdb" -h 127.0.0.1 -p "$SLIPWAY_PG_PORT" -U postgres "$db" || return 1
    _slipway_log "postgres: created database $db"
}

# ---------------------------------------------------------------------------------------------------
_slipway_redis_answers() {
    [ "$(redis-cli -h 127.0.0.1 -p "$SLIPWAY_REDIS_PORT" ping 2>/dev/null)" = PONG ]
}

slipway_env_redis() {
    if _slipway_redis_answers; then
        _slipway_log "redis: already running on 127.0.0.1:$SLIPWAY_REDIS_PORT"
        return 0
    fi
    mkdir -p "$SLIPWAY_ENV_DIR/redis" || return 1
    redis-server --bind 127.0.0.1 --port "$SLIPWAY_REDIS_PORT" --save '' --appendonly no --daemonize yes \
        --dir "$SLIPWAY_ENV_DIR/redis" --pidfile "$SLIPWAY_ENV_DIR/redis.pid" \
        --logfile "$SLIPWAY_ENV_DIR/redis.log" || return 1
    if ! _slipway_wait_for 10 _slipway_redis_answers; then
        _slipway_err "redis did not answer on 127.0.0.1:$SLIPWAY_REDIS_PORT; see $SLIPWAY_ENV_DIR/redis.log"
        return 1
    fi
    _slipway_log "redis: started on 127.0.0.1:$SLIPWAY_REDIS_PORT (no persistence)"
}

# ---------------------------------------------------------------------------------------------------
_slipway_registry_answers() {
    curl -fs --max-time 2 -o /dev/null "http://127.0.0.1:$SLIPWAY_REGISTRY_PORT/v2/"
}

slipway_env_registry() {
    if _slipway_registry_answers; then
        _slipway_log "registry: already answering on 127.0.0.1:$SLIPWAY_REGISTRY_PORT"
        return 0
    fi
    mkdir -p "$SLIPWAY_ENV_DIR/registry" || return 1
    _slipway_write_file "$SLIPWAY_ENV_DIR/registry.yml" "# written by slipway local-env.sh
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $SLIPWAY_ENV_DIR/registry
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$SLIPWAY_REGISTRY_PORT" registry
    _slipway_start_detached "$SLIPWAY_ENV_DIR/registry.log" "$SLIPWAY_ENV_DIR/registry.pid" \
        docker-registry serve "$SLIPWAY_ENV_DIR/registry.yml"
    if ! _slipway_wait_for 15 _slipway_registry_answers; then
        _slipway_err "registry did not answer on 127.0.0.1:$SLIPWAY_REGISTRY_PORT; see $SLIPWAY_ENV_DIR/registry.log"
        return 1
    fi
    _slipway_log "registry: started on 127.0.0.1:$SLIPWAY_REGISTRY_PORT (pid $(cat "$SLIPWAY_ENV_DIR/registry.pid"))"
}

# ---------------------------------------------------------------------------------------------------
# The JRE image. Its helpers are in local-env-jre.sh to keep this file readable.
. "$(dirname "${BASH_SOURCE[0]}")/local-env-jre.sh"

# ---------------------------------------------------------------------------------------------------
_slipway_env_write_envfile() {
    local docker_lines
    if [ "${DOCKER_HOST:-}" = "unix:///var/run/docker.sock" ]; then
        docker_lines="export DOCKER_HOST=$DOCKER_HOST"
    else
        docker_lines="export DOCKER_HOST=unix://$SLIPWAY_ENV_DIR/podman.sock
export CONTAINERS_CONF=$SLIPWAY_ENV_DIR/containers.conf
export CONTAINERS_REGISTRIES_CONF=$SLIPWAY_ENV_DIR/registries.conf"
    fi
    _slipway_write_file "$SLIPWAY_ENV_DIR/env.sh" "# written by slipway local-env.sh: source it to use this environment
export SLIPWAY_ENV_DIR=$SLIPWAY_ENV_DIR
$docker_lines
export SLIPWAY_PG_PORT=$SLIPWAY_PG_PORT
export SLIPWAY_REDIS_PORT=$SLIPWAY_REDIS_PORT
export SLIPWAY_REGISTRY=127.0.0.1:$SLIPWAY_REGISTRY_PORT
export SLIPWAY_JRE_IMAGE=$SLIPWAY_JRE_IMAGE" env
}

# Brings everything up; the arguments are databases to create (if missing).
slipway_env_up() {
    mkdir -p "$SLIPWAY_ENV_DIR" || return 1
    _slipway_log "env: $SLIPWAY_ENV_DIR"
    slipway_env_install_packages || return 1
    slipway_env_podman || return 1
    slipway_env_postgres "$@" || return 1
    slipway_env_redis || return 1
    slipway_env_registry || return 1
    slipway_env_jre_image || return 1
    _slipway_env_write_envfile || return 1
    _slipway_log "env: ready; to use it in a shell: source $SLIPWAY_ENV_DIR/env.sh"
}

# Stops what slipway_env_up started (containers that are still running are left alone).
slipway_env_down() {
    local bin dir
    _slipway_stop_pidfile registry "$SLIPWAY_ENV_DIR/registry.pid" docker-registry
    _slipway_stop_pidfile podman "$SLIPWAY_ENV_DIR/podman.pid" podman
    rm -f "$SLIPWAY_ENV_DIR/podman.sock"
    if _slipway_pid_alive "$SLIPWAY_ENV_DIR/redis.pid" redis-server; then
        redis-cli -h 127.0.0.1 -p "$SLIPWAY_REDIS_PORT" shutdown nosave >/dev/null 2>&1 ||
            kill "$(cat "$SLIPWAY_ENV_DIR/redis.pid")"
        _slipway_log "redis: stopped"
    else
        _slipway_log "redis: not running (from $SLIPWAY_ENV_DIR)"
    fi
    dir="$(_slipway_pg_dir)"
    if bin="$(_slipway_pg_bin 2>/dev/null)" && [ -f "$dir/data/postmaster.pid" ] &&
        _slipway_as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        _slipway_as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || return 1
        _slipway_log "postgres: stopped"
    else
        _slipway_log "postgres: not running (from $dir/data)"
    fi
}

# Stops the process in pid file $2 if its command line contains $3 (a reused pid is left alone).
_slipway_stop_pidfile() {
    local name="$1" pidfile="$2" pattern="$3" pid
    if ! _slipway_pid_alive "$pidfile" "$pattern"; then
        _slipway_log "$name: not running (from $pidfile)"
        rm -f "$pidfile"
        return 0
    fi
    pid="$(cat "$pidfile")"
    kill "$pid"
    if ! _slipway_wait_for 10 sh -c "! kill -0 $pid"; then
        kill -9 "$pid" 2>/dev/null
    fi
    rm -f "$pidfile"
    _slipway_log "$name: stopped (pid $pid)"
}
