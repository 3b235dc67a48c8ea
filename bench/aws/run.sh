#!/usr/bin/env bash
# ECS pipeline benchmark against moto_server: one deploy three ways per round, each on a stage freshly created in the
# same moto and each with a REAL image build and push (podman through the Docker API socket that
# scripts/lib/local-env.sh starts, to its registry on 127.0.0.1:5000; hello-server's Containerfile on the local JRE
# image, with a jar that differs every build so its layer is rebuilt and pushed, as after a code change):
#   slipway       Slipway's engine with the real ecs target (slipway-aws EcsBench), `ecs.registry` in slipway.yml
#   cli-schedule  the same steps with the AWS CLI and podman; each wait is the waiter's own describe call, one `aws`
#                 process per probe, paced by Slipway's poll schedule (bench/aws/cli-pipeline.sh schedule)
#   cli-waiters   the same steps with the AWS CLI's waiters (cli-pipeline.sh waiters)
# Prints every variant's figures per round, then the means and ratios.
#
#   bench/aws/run.sh [ROUNDS]                 default 3; 1-2 min per round, plus the first compile
#   BENCH_MIN_RATIO=5 bench/aws/run.sh 1      exit 1 when cli-waiters' total is less than 5x Slipway's pipeline
#
# Needs moto_server, aws, podman, python3, java, mvn, curl. Compiles with `mvn -pl slipway-aws -am` (installs nothing
# into ~/.m2). Starts and stops its own moto_server on a free loopback port. Removes the images it built and the
# manifests it pushed (the registry keeps unreferenced layer blobs until its garbage collection). Every step runs
# under a timeout.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ROUNDS="${1:-3}"
[[ "$ROUNDS" =~ ^[1-9][0-9]?$ ]] || { echo "usage: bench/aws/run.sh [ROUNDS 1-99]" >&2; exit 2; }
STEP_TIMEOUT=300 # seconds for any one deploy, setup or compile
for tool in moto_server aws podman python3 java mvn curl timeout; do
    command -v "$tool" >/dev/null || { echo "bench/aws: $tool not found on PATH" >&2; exit 2; }
done
# pyenv shims cost ~50 ms per process; time the AWS CLI itself, as a user without pyenv would run it.
real_bin() { { command -v pyenv >/dev/null && pyenv which "$1" 2>/dev/null; } || command -v "$1"; }
export AWS_BIN MOTO_BIN
AWS_BIN="$(real_bin aws)"
MOTO_BIN="$(real_bin moto_server)"

WORK="$(mktemp -d /tmp/slipway-bench-aws.XXXXXX)"
MOTO_PID=""
cleanup() {
    if [ -n "$MOTO_PID" ]; then
        kill "$MOTO_PID" 2>/dev/null || true
        wait "$MOTO_PID" 2>/dev/null || true
    fi
    if [ -s "$WORK/images" ]; then # what this run built and pushed: "local REF" / "pushed HOST/REPO:TAG@DIGEST"
        awk '{ sub(/@.*/, "", $2); print $2 }' "$WORK/images" | xargs -r podman rmi -f -i >/dev/null 2>&1 || true
        awk '$1 == "pushed" { sub(/.*@/, "", $2); print $2 }' "$WORK/images" | while read -r digest; do
            curl -fsS -o /dev/null -X DELETE "http://$REGISTRY/v2/$REPOSITORY/manifests/$digest" || true
        done
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "bench/aws: $*" >&2; exit 1; }
now() { NOW=$((${EPOCHREALTIME/./} / 1000)); }

echo "== services: podman API, registry, JRE base image (scripts/lib/local-env.sh)"
# shellcheck source=../../scripts/lib/local-env.sh
. "$ROOT/scripts/lib/local-env.sh"
slipway_env_up >"$WORK/env.log" 2>&1 || { cat "$WORK/env.log" >&2; fail "the local environment did not come up"; }
# shellcheck disable=SC1091
. "$SLIPWAY_ENV_DIR/env.sh"
export REGISTRY="$SLIPWAY_REGISTRY" BASE_IMAGE="$SLIPWAY_JRE_IMAGE" REPOSITORY=slipway-bench

echo "== compiling slipway-aws (with the modules it needs) and hello-server"
(cd "$ROOT" && timeout "$STEP_TIMEOUT" mvn -B -ntp -q -pl slipway-aws -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt >"$WORK/mvn.log" 2>&1 &&
    timeout "$STEP_TIMEOUT" mvn -B -ntp -q -f examples/hello-server/pom.xml -DskipTests package >>"$WORK/mvn.log" 2>&1) ||
    { cat "$WORK/mvn.log" >&2; fail "compiling failed"; }
CP="$ROOT/slipway-aws/target/test-classes:$ROOT/slipway-aws/target/classes:$(cat "$ROOT/slipway-aws/target/bench-classpath.txt")"

# The build context: hello-server's Containerfile, .dockerignore, migrations and jar. fresh_jar gives the jar an entry
# naming the build, so no two builds share its layer.
export CONTEXT="$WORK/context"
mkdir -p "$CONTEXT/target"
cp "$ROOT/examples/hello-server/Containerfile" "$ROOT/examples/hello-server/.dockerignore" "$CONTEXT/"
cp -r "$ROOT/examples/hello-server/migrations" "$CONTEXT/"
fresh_jar() {
    python3 - "$ROOT/examples/hello-server/target/hello-server.jar" "$CONTEXT/target/hello-server.jar" "$1" <<'PY'
import shutil, sys, zipfile
shutil.copyfile(sys.argv[1], sys.argv[2])
with zipfile.ZipFile(sys.argv[2], "a") as jar:
    jar.writestr("META-INF/slipway-bench-build.txt", sys.argv[3] + "\n")
PY
}

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export ENDPOINT="http://127.0.0.1:$PORT"
echo "== starting moto_server on $ENDPOINT"
MOTO_ECS_SERVICE_RUNNING=2 "$MOTO_BIN" -H 127.0.0.1 -p "$PORT" >"$WORK/moto.log" 2>&1 &
MOTO_PID=$!
for _ in $(seq 1 200); do curl -sf "$ENDPOINT/moto-api/data.json" >/dev/null && break; sleep 0.1; done
curl -sf "$ENDPOINT/moto-api/data.json" >/dev/null || { cat "$WORK/moto.log" >&2; fail "moto_server did not answer within 20 s"; }
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
export TEMPLATE="$WORK/project/task.json" # EcsBench writes the task definition template there

bench_java() {
    timeout "$STEP_TIMEOUT" java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" dev.slipway.aws.EcsBench \
        "$1" "$ENDPOINT" "$WORK/project" "${@:2}"
}
# Keeps a variant's key=value output for the summary, and the images it made for the cleanup.
record() {
    local variant="$1" round="$2" out="$3"
    echo "$out" | sed -n 's/^\([a-z_]*_ms\|[a-z]*_calls\|probes[a-z_]*\)=\([0-9]*\)$/'"$variant $round"' \1 \2/p' >>"$WORK/results"
    echo "$out" | sed -n 's/^image_local=/local /p; s/^image_pushed=/pushed /p' >>"$WORK/images"
}
s() { printf '%d.%02d s' $(($1 / 1000)) $(($1 % 1000 / 10)); }
get() { echo "$2" | sed -n "s/^$1=//p"; }
# "build 2.50 s, snapshot 0.40 s, …" from a variant's step_*_ms lines, with the probes of each when it has them.
steps_line() {
    local out="$1" name ms probes line=""
    for name in build snapshot stop_old migrate deploy verify; do
        ms="$(get "step_${name}_ms" "$out")"
        [ -n "$ms" ] || continue
        probes="$(get "probes_$name" "$out")"
        line+="${line:+, }${name/_/-} $(s "$ms")${probes:+ (probes: $probes)}"
    done
    echo "$line"
}

echo "== warm-up build and push (untimed): the base image's layers reach the registry once, as for any app that deployed before"
fresh_jar warmup
now; t0=$NOW
timeout "$STEP_TIMEOUT" podman build -q --build-arg "BASE_IMAGE=$BASE_IMAGE" -t hello:bench-warmup "$CONTEXT" >/dev/null
echo "local hello:bench-warmup" >>"$WORK/images"
timeout "$STEP_TIMEOUT" podman push -q --digestfile "$WORK/warmup.digest" hello:bench-warmup "$REGISTRY/$REPOSITORY:warmup"
echo "pushed $REGISTRY/$REPOSITORY:warmup@$(cat "$WORK/warmup.digest")" >>"$WORK/images"
now; echo "   $(s $((NOW - t0)))"

run_slipway() {
    local round="$1" out
    fresh_jar "slipway round $round"
    out="$(bench_java slipway "$CONTEXT" "$REGISTRY" "$BASE_IMAGE")" || fail "Slipway's deploy failed in round $round"
    record slipway "$round" "$out"
    echo "round $round slipway:      pipeline $(s "$(get slipway_ms "$out")") = build ∥ snapshot $(s "$(get phase_build_snapshot_ms "$out")")" \
        "(Docker client open $(s "$(get image_engine_open_ms "$out")"), image build $(s "$(get image_build_ms "$out")")," \
        "push $(s "$(get image_push_ms "$out")")) + stop-old → verify $(s "$(get phase_rollout_ms "$out")") + engine;" \
        "whole JVM process less stage setup $(s "$(get process_ms "$out")")"
    echo "                            steps: $(steps_line "$out")"
}

run_cli() {
    local mode="$1" round="$2" setup out
    setup="$(bench_java setup)" || fail "stage setup failed in round $round"
    eval "$setup"
    export INITIAL_TD SUBNET SG POLL_DELAYS_MS
    fresh_jar "cli-$mode round $round"
    out="$(timeout "$STEP_TIMEOUT" bash "$HERE/cli-pipeline.sh" "$mode" "r$round-$mode")" ||
        fail "the AWS CLI pipeline ($mode) failed or timed out in round $round"
    record "cli-$mode" "$round" "$out"
    printf 'round %s %-13s total %s = build ∥ snapshot %s (image build %s, push %s) + stop-old → verify %s; ' \
        "$round" "cli-$mode:" "$(s "$(get total_ms "$out")")" "$(s "$(get phase_build_snapshot_ms "$out")")" \
        "$(s "$(get image_build_ms "$out")")" "$(s "$(get image_push_ms "$out")")" "$(s "$(get phase_rollout_ms "$out")")"
    printf '%s aws processes, %s in them (waiters %s); %s probes, %s asleep between them\n' "$(get aws_calls "$out")" \
        "$(s "$(get aws_ms "$out")")" "$(s "$(get waiter_ms "$out")")" "$(get probes "$out")" "$(s "$(get sleep_ms "$out")")"
    echo "                            steps: $(steps_line "$out")"
}

echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores; other work on the machine shows in the figures)"
# The order rotates every round, so a load that comes and goes does not always hit the same variant.
ORDER=(slipway schedule waiters)
for round in $(seq 1 "$ROUNDS"); do
    for i in 0 1 2; do
        variant="${ORDER[(round - 1 + i) % 3]}"
        if [ "$variant" = slipway ]; then run_slipway "$round"; else run_cli "$variant" "$round"; fi
    done
done
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   poll schedule used by slipway and cli-schedule: probe at once, then pauses of $POLL_DELAYS_MS ms (the last repeats)"

python3 - "$ROUNDS" "$WORK/results" <<'PY'
import collections, os, sys
rounds, path = int(sys.argv[1]), sys.argv[2]
data = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(path):
    variant, _, key, value = line.split()
    data[variant][key].append(int(value))
mean = lambda v, k: sum(data[v][k]) / len(data[v][k]) if data[v][k] else float("nan")
sec = lambda ms: f"{ms / 1000:.2f} s"
total = {"slipway": "slipway_ms", "cli-schedule": "total_ms", "cli-waiters": "total_ms"}
variants = list(total)

print(f"\n== per round (total; build ∥ snapshot; stop-old → verify)")
print("| round | " + " | ".join(variants) + " |\n|---|---|---|---|")
for r in range(rounds):
    print(f"| {r + 1} | " + " | ".join(f"{sec(data[v][total[v]][r])} ({sec(data[v]['phase_build_snapshot_ms'][r])}; "
                                       f"{sec(data[v]['phase_rollout_ms'][r])})" for v in variants) + " |")

print(f"\n== means over {rounds} round(s)")
print("| | " + " | ".join(variants) + " |\n|---|---|---|---|")
rows = [("total (Slipway: pipeline in the JVM)", lambda v: sec(mean(v, total[v]))),
        ("Slipway's whole JVM process less stage setup", lambda v: sec(mean(v, "process_ms")) if v == "slipway" else "–"),
        ("build ∥ snapshot phase", lambda v: sec(mean(v, "phase_build_snapshot_ms"))),
        ("  of it: Docker client open (Slipway, in build)", lambda v: sec(mean(v, "image_engine_open_ms")) if v == "slipway" else "–"),
        ("  of it: image build", lambda v: sec(mean(v, "image_build_ms"))),
        ("  of it: image push", lambda v: sec(mean(v, "image_push_ms"))),
        ("stop-old → verify phase", lambda v: sec(mean(v, "phase_rollout_ms"))),
        ("aws processes", lambda v: f"{mean(v, 'aws_calls'):.0f}" if v != "slipway" else "–"),
        ("time inside aws processes", lambda v: sec(mean(v, "aws_ms")) if v != "slipway" else "–"),
        ("  of it: inside waiters", lambda v: sec(mean(v, "waiter_ms")) if v != "slipway" else "–"),
        ("mean per aws process that is not a waiter", lambda v: sec((mean(v, "aws_ms") - mean(v, "waiter_ms"))
            / (mean(v, "aws_calls") - mean(v, "waiter_calls"))) if v != "slipway" else "–"),
        ("probes / asleep between them", lambda v: f"{mean(v, 'probes'):.0f} / {sec(mean(v, 'sleep_ms'))}" if v == "cli-schedule" else "–")]
for name, cell in rows:
    print(f"| {name} | " + " | ".join(cell(v) for v in variants) + " |")

print(f"\n== steps, means (Slipway: from its journal; the CLI's deploy runs UpdateService to untag, Slipway's deploy + verify)")
print("| step | " + " | ".join(variants) + " |\n|---|---|---|---|")
def step_cell(v, step):
    ms = mean(v, f"step_{step}_ms") + (mean(v, "step_verify_ms") if v == "slipway" and step == "deploy" else 0)
    probes = f" (probes: {mean(v, f'probes_{step}'):.0f})" if data[v][f"probes_{step}"] and step != "build" else ""
    return sec(ms) + probes
for step in ["build", "snapshot", "stop_old", "migrate", "deploy"]:
    print(f"| {step.replace('_', '-')} | " + " | ".join(step_cell(v, step) for v in variants) + " |")

sl, sc, wt = (mean(v, total[v]) for v in variants)
rs, rc, rw = (mean(v, "phase_rollout_ms") for v in variants)
print(f"\n== total: cli-waiters / slipway {wt / sl:.1f}x, cli-schedule / slipway {sc / sl:.1f}x, "
      f"cli-waiters / cli-schedule {wt / sc:.1f}x")
print(f"== stop-old → verify only: cli-waiters / slipway {rw / rs:.1f}x, cli-schedule / slipway {rc / rs:.1f}x")
print(f"== of the {sec(wt - sl)} between cli-waiters and Slipway, polling on Slipway's schedule removes {sec(wt - sc)} "
      f"({100 * (wt - sc) / (wt - sl):.0f}%); {sec(sc - sl)} remain ({100 * (sc - sl) / (wt - sl):.0f}%)")
minimum = float(os.environ.get("BENCH_MIN_RATIO", "0"))
if wt / sl < minimum:
    sys.exit(f"== FAILED: cli-waiters / slipway is {wt / sl:.1f}x, below BENCH_MIN_RATIO={minimum}")
PY
