#!/usr/bin/env bash
# Measures the CLI's cold start as a user sees it: a new JVM per call through the ./slipway launcher.
# Target: under 0.6 s for `slipway --version` and `slipway validate`. Usage: bench/cli-cold-start.sh [calls]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
calls="${1:-20}"
./slipway --version >/dev/null   # builds the jar and the class-data-sharing archive if they are missing
spec="$(mktemp --suffix .yml)"
trap 'rm -f "$spec"' EXIT
cat >"$spec" <<'YAML'
app: hello
build: {context: ., dockerfile: Containerfile}
migrations: {command: [java, -jar, /app/hello-server.jar, migrate], timeout: 5m}
health: {path: /healthz, port: 8080, timeout: 60s}
stages:
  staging:
    branch: main
    target: local
    replicas: 2
    database: {url: "jdbc:postgresql://127.0.0.1:55432/hello_staging", user: postgres}
    redis: {url: "redis://127.0.0.1:16379/0"}
  production:
    branch: prod
    target: ecs
    approvals: {required: 1}
    ecs: {region: eu-west-1, cluster: main, service: hello, task-definition: task.json, ecr-repository: hello}
YAML

measure() {
  local label="$1"; shift
  local times=() t0 t1
  for ((i = 0; i < calls; i++)); do
    t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" '
    { v[NR] = $1; sum += $1 }
    END { p95 = int(NR * 0.95) + 1; if (p95 > NR) p95 = NR
          printf "%-28s calls %d  mean %d ms  p50 %d ms  p95 %d ms  max %d ms\n", label, NR, sum / NR, v[int(NR * 0.5) + 1], v[p95], v[NR] }'
}
measure "slipway --version" ./slipway --version
measure "slipway validate" ./slipway validate -f "$spec"
echo "(java: $(java -version 2>&1 | head -n 1); cores: $(nproc))"
