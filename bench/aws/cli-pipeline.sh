#!/usr/bin/env bash
# The AWS CLI half of bench/aws/run.sh: the steps of Slipway's ecs target done with `aws` (one process per call) and
# podman, in Slipway's order and with its one overlap (image build + push + task definition ∥ RDS snapshot), against
# the stage `EcsBench setup` created. MODE only changes how the four waits poll:
#   waiters   the CLI's own waiters: `aws rds wait db-snapshot-available`, `aws ecs wait services-stable` (twice),
#             `aws ecs wait tasks-stopped`; each probes at once, then every 30 / 15 / 6 s
#   schedule  the describe call and success condition each of those waiters uses, one `aws` process per probe, probing
#             at once and then after each pause of Slipway's Poller (POLL_DELAYS_MS, from `EcsBench setup`)
#
#   cli-pipeline.sh waiters|schedule TAG        (run.sh sets the environment checked below)
#
# Prints key=value lines: total_ms, phase_build_snapshot_ms, phase_rollout_ms (stop-old → verify); step_STEP_ms and
# (schedule) probes_STEP for build, snapshot, stop_old, migrate, deploy (UpdateService to untag: Slipway's deploy +
# verify); image_build_ms, image_push_ms; aws_calls and aws_ms (processes and the time inside them), waiter_calls,
# waiter_ms, probes, sleep_ms; image_local, image_pushed.
set -euo pipefail
MODE="$1"
TAG="$2"
[[ "$MODE" == waiters || "$MODE" == schedule ]] || { echo "cli-pipeline: MODE must be waiters or schedule" >&2; exit 2; }
: "${ENDPOINT:?}" "${AWS_BIN:?}" "${CONTEXT:?}" "${REGISTRY:?}" "${REPOSITORY:?}" "${BASE_IMAGE:?}" "${TEMPLATE:?}"
: "${INITIAL_TD:?}" "${SUBNET:?}" "${SG:?}" "${POLL_DELAYS_MS:?}"
OUT="$(mktemp -d "${TMPDIR:-/tmp}/slipway-bench-cli.XXXXXX")"
trap 'rm -rf "$OUT"' EXIT
CALLS="$OUT/calls" # one line per aws process, probe and pause: KIND MS
: >"$CALLS"
WAIT_LIMIT_MS=120000
read -ra DELAYS <<<"$POLL_DELAYS_MS"

now() { NOW=$((${EPOCHREALTIME/./} / 1000)); } # no fork: the loop's own overhead stays out of the figures

# One aws process against moto; its wall time is recorded ("wait" for a waiter, else "call").
awsc() {
    local kind=call t0 rc=0
    if [ "$1" = --wait ]; then kind=wait; shift; fi
    now; t0=$NOW
    "$AWS_BIN" --endpoint-url "$ENDPOINT" --output text "$@" || rc=$?
    now; echo "$kind $((NOW - t0))" >>"$CALLS"
    return "$rc"
}

# Runs the probe "${@:2}" until it prints $1: at once, then after each of DELAYS (the last, the cap, repeats).
poll_until() {
    local want="$1" i=0 start seen d
    shift
    now; start=$NOW
    while :; do
        seen="$("$@")"
        echo "probe 0" >>"$CALLS"
        PROBES=$((PROBES + 1))
        [ "$seen" = "$want" ] && return 0
        now
        if ((NOW - start >= WAIT_LIMIT_MS)); then
            echo "cli-pipeline: no '$want' from '$*' within $((WAIT_LIMIT_MS / 1000)) s (last: '$seen')" >&2
            return 1
        fi
        d="${DELAYS[i]:-${DELAYS[-1]}}"
        i=$((i + 1))
        sleep "$((d / 1000)).$(printf '%03d' $((d % 1000)))"
        echo "sleep $d" >>"$CALLS"
    done
}

wait_snapshot_available() {
    if [ "$MODE" = waiters ]; then
        awsc --wait rds wait db-snapshot-available --db-snapshot-identifier "$1"
    else
        poll_until available awsc rds describe-db-snapshots --db-snapshot-identifier "$1" --query 'DBSnapshots[].Status'
    fi
}

wait_services_stable() {
    if [ "$MODE" = waiters ]; then
        awsc --wait ecs wait services-stable --cluster slipway --services hello
    else # the waiter's success acceptor, verbatim
        poll_until 0 awsc ecs describe-services --cluster slipway --services hello \
            --query 'length(services[?!(length(deployments) == `1` && runningCount == desiredCount)])'
    fi
}

wait_task_stopped() {
    if [ "$MODE" = waiters ]; then
        awsc --wait ecs wait tasks-stopped --cluster slipway --tasks "$1"
    else
        poll_until STOPPED awsc ecs describe-tasks --cluster slipway --tasks "$1" --query 'tasks[].lastStatus'
    fi
}

# Runs "${@:2}" as step $1, printing its wall time (and, when it polled, its probes) into $OUT/steps.
step() {
    local name="$1" t0
    shift
    PROBES=0
    now; t0=$NOW
    "$@"
    now; echo "step_${name}_ms=$((NOW - t0))" >>"$OUT/steps"
    if [ "$MODE" = schedule ]; then echo "probes_${name}=$PROBES" >>"$OUT/steps"; fi
}

# Slipway's build step: ensure the ECR repository, build, push to the registry, register the task definition.
build_push_register() {
    local ref="hello:cli-$TAG" target="$REGISTRY/$REPOSITORY:cli-$TAG" t0 digest
    awsc ecr describe-repositories --repository-names "$REPOSITORY" >/dev/null 2>&1 ||
        awsc ecr create-repository --repository-name "$REPOSITORY" --tags Key=slipway:app,Value=hello >/dev/null
    now; t0=$NOW
    podman build -q --build-arg "BASE_IMAGE=$BASE_IMAGE" --label dev.slipway.app=hello \
        --label "dev.slipway.commit=cli-$TAG" --label dev.slipway.stage=staging -f Containerfile -t "$ref" "$CONTEXT" >/dev/null
    now; echo "image_build_ms=$((NOW - t0))" >>"$OUT/build"; t0=$NOW
    echo "image_local=$ref" >>"$OUT/build"
    podman push -q --digestfile "$OUT/digest" "$ref" "$target"
    now; echo "image_push_ms=$((NOW - t0))" >>"$OUT/build"
    digest="$(cat "$OUT/digest")"
    echo "image_pushed=$target@$digest" >>"$OUT/build"
    python3 - "$TEMPLATE" "$OUT/td.json" "$REGISTRY/$REPOSITORY@$digest" "cli-$TAG" <<'PY'
import json, sys
template, out, image, commit = sys.argv[1:]
td = json.load(open(template))
app = [c for c in td["containerDefinitions"] if c["name"] == "app"][0]
app["image"] = image
env = {e["name"]: e["value"] for e in app.get("environment", [])}
env.update({"STAGE": "staging", "APP": "hello", "APP_VERSION": commit, "GREETING": "hi"})
app["environment"] = [{"name": k, "value": v} for k, v in env.items()]
td["tags"] = [{"key": "slipway:stage", "value": "staging"}, {"key": "slipway:commit", "value": commit}]
json.dump(td, open(out, "w"))
PY
    awsc ecs register-task-definition --cli-input-json "file://$OUT/td.json" --query taskDefinition.taskDefinitionArn \
        >"$OUT/task-definition"
}

snapshot() {
    awsc rds create-db-snapshot --db-instance-identifier hello-staging --db-snapshot-identifier "cli-$TAG" \
        --tags Key=slipway:stage,Value=staging Key=slipway:commit,Value="cli-$TAG" >/dev/null
    wait_snapshot_available "cli-$TAG"
}

stop_old() {
    SERVICE_ARN="$(awsc ecs describe-services --cluster slipway --services hello --query 'services[0].serviceArn')"
    awsc ecs tag-resource --resource-arn "$SERVICE_ARN" --tags "key=slipway:previous-task-definition,value=$INITIAL_TD" \
        key=slipway:previous-desired-count,value=2 >/dev/null
    awsc ecs update-service --cluster slipway --service hello --desired-count 0 >/dev/null
    wait_services_stable
}

migrate() {
    local task exit_code
    task="$(awsc ecs run-task --cluster slipway --task-definition "$1" --launch-type FARGATE \
        --network-configuration "awsvpcConfiguration={subnets=[$SUBNET],securityGroups=[$SG]}" \
        --overrides '{"containerOverrides":[{"name":"app","command":["java","-jar","/app/hello-server.jar","migrate"]}]}' \
        --query 'tasks[0].taskArn')"
    wait_task_stopped "$task"
    exit_code="$(awsc ecs describe-tasks --cluster slipway --tasks "$task" --query 'tasks[0].containers[0].exitCode')"
    [ "$exit_code" = 0 ] || { echo "cli-pipeline: migration task exited with '$exit_code'" >&2; return 1; }
    awsc logs get-log-events --log-group-name /ecs/hello --log-stream-name "hello/app/${task##*/}" --limit 30 \
        >/dev/null 2>&1 || true # moto runs no container, so there is no stream; the call is what counts
}

# deploy and verify: the new revision at the old count, stable; then the stop-old record goes
deploy() {
    awsc ecs update-service --cluster slipway --service hello --task-definition "$1" --desired-count 2 >/dev/null
    wait_services_stable
    awsc ecs untag-resource --resource-arn "$SERVICE_ARN" \
        --tag-keys slipway:previous-task-definition slipway:previous-desired-count >/dev/null
}

: >"$OUT/steps"
now; start=$NOW
step build build_push_register &
build_pid=$!
step snapshot snapshot
wait "$build_pid"
now; built=$NOW
new_td="$(cat "$OUT/task-definition")"
step stop_old stop_old
step migrate migrate "$new_td"
step deploy deploy "$new_td"
now; end=$NOW

cat "$OUT/build" "$OUT/steps"
echo "phase_build_snapshot_ms=$((built - start))"
echo "phase_rollout_ms=$((end - built))"
echo "total_ms=$((end - start))"
awk '$1 == "call" || $1 == "wait" { n++; ms += $2 } $1 == "wait" { wn++; w += $2 } $1 == "probe" { p++ } $1 == "sleep" { s += $2 }
     END { printf "aws_calls=%d\naws_ms=%d\nwaiter_calls=%d\nwaiter_ms=%d\nprobes=%d\nsleep_ms=%d\n", n, ms, wn, w, p, s }' "$CALLS"
