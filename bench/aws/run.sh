#!/usr/bin/env bash
# ECS pipeline benchmark against moto_server: Slipway's ecs target (through its engine) next to the same AWS steps
# done with the AWS CLI and its `wait` commands, in one run on one moto. Prints both timings and the ratio.
#
#   bench/aws/run.sh [ROUNDS]        (default 3 rounds of each; needs moto_server, aws, python3, java, mvn)
#   BENCH_MIN_RATIO=5 bench/aws/run.sh 1    fails (exit 1) when the CLI is less than 5x slower than Slipway's pipeline
#
# Assumes slipway-core and slipway-images are installed in the local Maven repository
# (mvn -q -B install -pl slipway-core,slipway-images -DskipTests).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROUNDS="${1:-3}"
WORK="$(mktemp -d /tmp/slipway-bench-aws.XXXXXX)"
PORT="${BENCH_MOTO_PORT:-$((20000 + RANDOM % 20000))}"
ENDPOINT="http://127.0.0.1:$PORT"
MOTO_PID=""
cleanup() { [ -n "$MOTO_PID" ] && kill "$MOTO_PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

for tool in moto_server aws python3 java mvn; do
    command -v "$tool" >/dev/null || { echo "bench/aws: $tool not found on PATH" >&2; exit 2; }
done

echo "== compiling slipway-aws and its test classes"
(cd "$ROOT" && mvn -q -B -pl slipway-aws test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" \
    >"$WORK/mvn.log" 2>&1) || { cat "$WORK/mvn.log" >&2; echo "bench/aws: compiling failed" >&2; exit 1; }
CP="$ROOT/slipway-aws/target/test-classes:$ROOT/slipway-aws/target/classes:$(cat "$WORK/cp.txt")"

echo "== starting moto_server on $ENDPOINT"
MOTO_ECS_SERVICE_RUNNING=2 moto_server -H 127.0.0.1 -p "$PORT" >"$WORK/moto.log" 2>&1 &
MOTO_PID=$!
for _ in $(seq 1 100); do curl -sf "$ENDPOINT/moto-api/data.json" >/dev/null && break; sleep 0.1; done

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
now_ms() { date +%s%3N; }
bench_java() { java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" dev.slipway.aws.EcsBench "$@" "$ENDPOINT" "$WORK/project"; }

# The AWS CLI half: the steps Slipway's ecs target takes, one CLI call each, with the CLI's own waiters.
cli_pipeline() {
    local a="aws --endpoint-url $ENDPOINT --output text"
    $a ecr describe-repositories --repository-names hello >/dev/null 2>&1 \
        || $a ecr create-repository --repository-name hello >/dev/null
    python3 - "$WORK/project/task.json" "$WORK/td.json" <<'PY'
import json, sys
td = json.load(open(sys.argv[1]))
app = [c for c in td["containerDefinitions"] if c["name"] == "app"][0]
app["image"] = "registry.test:5000/hello@sha256:" + "0" * 64
env = {e["name"]: e["value"] for e in app.get("environment", [])}
env.update({"STAGE": "staging", "APP": "hello", "APP_VERSION": "cli", "GREETING": "hi"})
app["environment"] = [{"name": k, "value": v} for k, v in env.items()]
json.dump(td, open(sys.argv[2], "w"))
PY
    local new_td
    new_td=$($a ecs register-task-definition --cli-input-json "file://$WORK/td.json" --query taskDefinition.taskDefinitionArn)
    $a rds create-db-snapshot --db-instance-identifier hello-staging --db-snapshot-identifier "cli-$1" \
        --tags Key=slipway:stage,Value=staging >/dev/null
    $a rds wait db-snapshot-available --db-snapshot-identifier "cli-$1"
    local svc_arn
    svc_arn=$($a ecs describe-services --cluster slipway --services hello --query 'services[0].serviceArn')
    $a ecs tag-resource --resource-arn "$svc_arn" --tags "key=slipway:previous-task-definition,value=$INITIAL_TD" \
        key=slipway:previous-desired-count,value=2 >/dev/null
    $a ecs update-service --cluster slipway --service hello --desired-count 0 >/dev/null
    $a ecs wait services-stable --cluster slipway --services hello
    local task
    task=$($a ecs run-task --cluster slipway --task-definition "$new_td" --launch-type FARGATE \
        --network-configuration "awsvpcConfiguration={subnets=[$SUBNET],securityGroups=[$SG]}" \
        --overrides '{"containerOverrides":[{"name":"app","command":["java","-jar","/app/hello.jar","migrate"]}]}' \
        --query 'tasks[0].taskArn')
    $a ecs wait tasks-stopped --cluster slipway --tasks "$task"
    $a ecs describe-tasks --cluster slipway --tasks "$task" --query 'tasks[0].containers[0].exitCode' >/dev/null
    $a logs get-log-events --log-group-name /ecs/hello --log-stream-name "hello/app/${task##*/}" --limit 30 >/dev/null 2>&1 || true
    $a ecs update-service --cluster slipway --service hello --task-definition "$new_td" --desired-count 2 >/dev/null
    $a ecs wait services-stable --cluster slipway --services hello
    $a ecs untag-resource --resource-arn "$svc_arn" --tag-keys slipway:previous-task-definition slipway:previous-desired-count >/dev/null
}

slipway_total=0; slipway_jvm_total=0; cli_total=0
for round in $(seq 1 "$ROUNDS"); do
    out=$(bench_java slipway)
    ms=$(echo "$out" | sed -n 's/^slipway_ms=//p')
    pms=$(echo "$out" | sed -n 's/^process_ms=//p')
    slipway_total=$((slipway_total + ms)); slipway_jvm_total=$((slipway_jvm_total + pms))
    echo "round $round slipway: pipeline ${ms} ms, whole JVM process less stage setup ${pms} ms; $(echo "$out" | grep '^step_' | tr '\n' ' ')"

    eval "$(bench_java setup)"
    t0=$(now_ms)
    cli_pipeline "$round"
    t1=$(now_ms)
    cli_total=$((cli_total + t1 - t0))
    echo "round $round aws cli: $((t1 - t0)) ms"
done

python3 - "$ROUNDS" "$slipway_total" "$slipway_jvm_total" "$cli_total" <<'PY'
import sys
n, s, sj, c = (int(x) for x in sys.argv[1:])
print(f"== {n} round(s): Slipway pipeline mean {s/n/1000:.2f} s (whole JVM process less stage setup {sj/n/1000:.2f} s); "
      f"AWS CLI + waiters mean {c/n/1000:.2f} s")
print(f"== ratio (CLI / Slipway pipeline): {c/s:.1f}x; against Slipway's whole process: {c/sj:.1f}x")
minimum = float(__import__("os").environ.get("BENCH_MIN_RATIO", "0"))
if c / s < minimum:
    sys.exit(f"== FAILED: ratio {c/s:.1f}x is below BENCH_MIN_RATIO={minimum}")
PY
