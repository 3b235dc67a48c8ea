#!/usr/bin/env bash
# Downtime of a local-target deploy as a client sees it: requests every 20 ms, round-robin over the stage's two
# replicas, while `slipway deploy staging` replaces v-current with a new commit of hello-server.
# Uses the demo's stage (runs scripts/demo.sh first if it has not been run). Usage: bench/local/downtime.sh [rounds]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
app="$root/.slipway-demo/hello"
rounds="${1:-3}"
[[ -f "$app/slipway.yml" ]] || "$root/scripts/demo.sh"
. "$root/scripts/lib/local-env.sh"
# shellcheck disable=SC1091
. "$SLIPWAY_ENV_DIR/env.sh"
export SLIPWAY_STATE_URL="jdbc:sqlite:$root/.slipway-demo/state.db"
cd "$app"
git rm -q --cached migrations/V5__broken.sql 2>/dev/null && rm -f migrations/V5__broken.sql && \
  git -c user.name=bench -c user.email=bench@localhost commit -qm "bench: drop the broken migration"
for ((r = 1; r <= rounds; r++)); do
  stop="$(mktemp -u)"
  out="$(mktemp)"
  java "$root/bench/local/Probe.java" "$stop" 20 300 http://127.0.0.1:18080/ http://127.0.0.1:18081/ >"$out" &
  probe=$!
  git -c user.name=bench -c user.email=bench@localhost commit -q --allow-empty -m "bench round $r"
  i=0 # the old release must answer before the deploy starts
  while [[ ! -e "$stop.ready" && $i -lt 300 ]]; do sleep 0.1; i=$((i + 1)); done
  "$root/slipway" deploy staging -f "$app/slipway.yml" --output json >"$out.run"
  touch "$stop" # the probe ends after its next successful request
  wait "$probe"
  journaled=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); s={x["name"]:x for x in r["steps"]}; print(r["state"], "run", r["durationMs"], "ms; stop-old", s["stop-old"]["durationMs"], "ms, migrate", s["migrate"]["durationMs"], "ms, deploy", s["deploy"]["durationMs"], "ms, verify", s["verify"]["durationMs"], "ms")' "$out.run")
  echo "round $r: $journaled"
  sed 's/^/  /' "$out"
  rm -f "$out" "$out.run" "$stop" "$stop.ready"
done
