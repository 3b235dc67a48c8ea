# shellcheck shell=bash
# What must hold after every iteration. Each check appends a line to FAILS and sets the flags the figures count:
#   NOT_CONVERGED  the expected release is not exactly what serves (journal, containers, answers, image, schema)
#   LEFTOVERS      containers, snapshot files or processes that no live release or journal run accounts for
#   DATA_LOSS      rows that existed before the iteration are gone or changed
#   NON_TERMINAL   runs that are not in a terminal state once every deploy has returned
# Sources of truth are the interfaces a user has: `slipway runs|status --output json`, podman with Slipway's labels
# (slipway-local Labels.java), the app's answers, the image's files, psql.

TERMINAL_STATES='["SUCCEEDED","FAILED","ROLLED_BACK","NEEDS_ATTENTION","SUPERSEDED"]'
# jq: an ISO-8601 instant (Instant.toString, 0-9 fraction digits) as epoch milliseconds.
JQ_MS='def ms: (.[0:19] + "Z" | fromdateiso8601) * 1000 + (((capture("\\.(?<f>[0-9]+)Z$") | .f) // "0") + "000" | .[0:3] | tonumber); '

slipway_json() { SLIPWAY_PLAIN=1 "$SLIPWAY" "$@" -f "$app/slipway.yml" --output json 2>>"$logdir/cli-stderr.log"; }

fail() { FAILS+=("$1"); }

# A leftover is reported (and counted) the first time it is seen; later iterations only say it is still there.
declare -A SEEN_LEFTOVER=()
STILL_THERE=0
leftover() {
  local key="$1" text="$2"
  if [[ -n "${SEEN_LEFTOVER[$key]:-}" ]]; then
    STILL_THERE=$((STILL_THERE + 1))
    return
  fi
  SEEN_LEFTOVER[$key]=1
  fail "$text"
  LEFTOVERS=$((LEFTOVERS + 1))
}

checks_reset() {
  FAILS=()
  NOT_CONVERGED=0 LEFTOVERS=0 DATA_LOSS=0 NON_TERMINAL=0 STILL_THERE=0 JOURNAL_ORDER=0
}

# A run's terminal event is its last: nothing (a step's end, a log of a step still running) is journaled after the
# run has ended. JOURNAL_ORDER counts runs where something was.
check_journal_order() {
  local r bad
  for r in "$@"; do
    [[ -n "$r" ]] || continue
    bad="$(slipway_json logs "$r" | jq -r --arg r "$r" '.events as $e
      | ([$e | to_entries[] | select(.value.type | test("^(RUN_SUCCEEDED|RUN_FAILED|ROLLED_BACK|COMPENSATION_FAILED|RUN_SUPERSEDED)$")) | .key] | first) as $t
      | if $t != null and $t < ($e | length) - 1
        then "run \($r): \($e[$t].type) (seq \($e[$t].seq)) is followed by " + ([$e[$t + 1:][] | "\(.type) \(.step // "") (seq \(.seq))"] | join(", "))
        else empty end')"
    if [[ -n "$bad" ]]; then
      fail "journal: events after the end: $bad"
      JOURNAL_ORDER=$((JOURNAL_ORDER + 1))
    fi
  done
}

# The rows present now: DATA_MAXID and DATA_MD5 over them (greetings: id, name, length, time).
data_mark() {
  if [[ "$(sql "select to_regclass('greetings') is not null")" != t ]]; then
    DATA_MAXID=0 DATA_MD5="0:-"
    return
  fi
  DATA_MAXID="$(sql "select coalesce(max(id), 0) from greetings")"
  DATA_MD5="$(data_md5 "$DATA_MAXID")"
}

data_md5() {
  (($1 > 0)) || { echo "0:-"; return; }
  sql "select count(*) || ':' || coalesce(md5(string_agg(id || '|' || name || '|' || name_length || '|' || created_at, ',' order by id)), '-') from greetings where id <= $1"
}

# One greeting written through the live app before each iteration, so every iteration has fresh rows to lose.
data_write() {
  curl -fsS --max-time 3 -X POST -H 'Content-Type: application/json' -d "{\"name\":\"chaos-$1\"}" \
    "http://127.0.0.1:$port/greetings" >/dev/null 2>&1 || true
}

# check_stage SHA VERSIONS: SHA must be live and exactly VERSIONS (space separated) applied.
check_stage() {
  local sha="$1" versions="$2"
  local runs status live_run live_commit
  runs="$(slipway_json runs --limit 1000)" || { fail "journal: slipway runs failed: $(tail -n 2 "$logdir/cli-stderr.log")"; NOT_CONVERGED=1; return; }
  status="$(slipway_json status)" || { fail "journal: slipway status failed"; NOT_CONVERGED=1; return; }
  check_runs "$runs"
  live_run="$(jq -r --arg s "$CHAOS_STAGE" '.stages[] | select(.stage == $s) | .liveRun // ""' <<<"$status")"
  live_commit="$(jq -r --arg s "$CHAOS_STAGE" '.stages[] | select(.stage == $s) | .liveCommit // ""' <<<"$status")"
  if [[ -z "$live_commit" || "$sha" != "$live_commit"* ]]; then
    fail "journal: live release is ${live_commit:-none} (run ${live_run:-none}), expected ${sha:0:12}"
    NOT_CONVERGED=1
  fi
  check_containers "$sha" "$live_run"
  check_schema "$versions"
  check_scratch
  check_snapshots "$runs"
  check_processes
}

# No preflight scratch database (<db>_pf_<run key>) is left once the deploys have ended: a preflight drops its own
# however it ends, the same run's next attempt drops a killed attempt's, and any preflight drops abandoned ones.
check_scratch() {
  local left
  left="$(sql "select string_agg(datname, ' ' order by datname) from pg_database where datname like '${db}\\_pf\\_%'" 2>&1)" ||
    { fail "scratch: cannot list databases: $left"; return; }
  [[ -z "$left" ]] || leftover "scratch:$left" "scratch: preflight database(s) left: $left"
}

check_runs() {
  local bad
  bad="$(jq -r --argjson t "$TERMINAL_STATES" '.[] | select(.state as $s | $t | index($s) | not) | "run \(.id) (\(.commit[0:12])) is \(.state)"' <<<"$1")"
  if [[ -n "$bad" ]]; then
    while read -r l; do fail "journal: non-terminal: $l"; done <<<"$bad"
    NON_TERMINAL=$(wc -l <<<"$bad")
  fi
  bad="$(jq -r '.[] | select(.state == "NEEDS_ATTENTION") | "run \(.id) (\(.commit[0:12])) NEEDS_ATTENTION: \(.reason // "" | split("\n")[0])"' <<<"$1")"
  if [[ -n "$bad" ]]; then
    while read -r l; do
      if [[ " ${SEEN_ATTENTION:-} " != *" ${l%% (*} "* ]]; then
        SEEN_ATTENTION="${SEEN_ATTENTION:-} ${l%% (*}"
        fail "journal: $l"
      fi
    done <<<"$bad"
  fi
}

# Exactly the live release's replicas exist, all running and healthy, serving SHA from an image of SHA's tree;
# nothing else of the stage (other runs' servers, migration containers, stopped ones) is left.
check_containers() {
  local sha="$1" live_run="$2" all live others n i p body version first=""
  all="$(podman ps -a --filter "label=slipway.app=$CHAOS_APP" --filter "label=slipway.stage=$CHAOS_STAGE" --format json 2>/dev/null || echo '[]')"
  live="$(jq -c --arg sha "$sha" --arg run "$live_run" '[.[] | select(.Labels["slipway.role"] == "server"
      and .Labels["slipway.commit"] == $sha and .Labels["slipway.run"] == $run and .State == "running")]' <<<"$all")"
  others="$(jq -r --arg sha "$sha" --arg run "$live_run" '.[] | select((.Labels["slipway.role"] == "server"
      and .Labels["slipway.commit"] == $sha and .Labels["slipway.run"] == $run and .State == "running") | not)
      | "\(.Names[0]) (\(.State), role \(.Labels["slipway.role"]), run \(.Labels["slipway.run"]), commit \((.Labels["slipway.commit"] // "")[0:12]))"' <<<"$all")"
  n="$(jq length <<<"$live")"
  if [[ "$n" != "$CHAOS_REPLICAS" ]]; then
    fail "containers: $n running replica(s) of run ${live_run:-?} (${sha:0:12}), expected $CHAOS_REPLICAS"
    NOT_CONVERGED=1
  fi
  if [[ "$(jq -r '[.[].Labels["slipway.replica"]] | sort | join(",")' <<<"$live")" != "$(seq -s, 0 $((CHAOS_REPLICAS - 1)))" ]]; then
    fail "containers: replica labels of the live release are $(jq -r '[.[].Labels["slipway.replica"]] | sort | join(",")' <<<"$live"), expected 0..$((CHAOS_REPLICAS - 1))"
    NOT_CONVERGED=1
  fi
  if [[ -n "$others" ]]; then
    while read -r l; do leftover "container ${l%% *}" "leftover container: $l"; done <<<"$others"
  fi
  for ((i = 0; i < CHAOS_REPLICAS; i++)); do
    p=$((port + i))
    if ! curl -fsS --max-time 3 -o /dev/null "http://127.0.0.1:$p/healthz"; then
      fail "health: replica $i (port $p) does not answer /healthz with 2xx"
      NOT_CONVERGED=1
    fi
    body="$(curl -fsS --max-time 3 "http://127.0.0.1:$p/" 2>/dev/null || true)"
    version="$(jq -r '.version // ""' <<<"$body" 2>/dev/null || true)"
    if [[ "$version" != "$sha" ]]; then
      fail "version: port $p answers version '${version:-no answer}', expected $sha"
      NOT_CONVERGED=1
    fi
  done
  first="$(jq -r '.[0].Id // ""' <<<"$live")"
  [[ -z "$first" ]] || check_image_tree "container" "$first" "$sha"
}

# The files the image took from the build context (/app/migrations) are exactly those of commit SHA.
# kind: container (a container id) or image (an image id, a throwaway container is made to read it).
check_image_tree() {
  local kind="$1" id="$2" sha="$3" dir ctr want got
  dir="$(mktemp -d)"
  ctr="$id"
  if [[ "$kind" == image ]]; then
    ctr="$(podman create "$id" 2>/dev/null)" || { fail "image ${id:0:12}: cannot create a container to read it"; rm -rf "$dir"; return 1; }
  fi
  if ! podman cp "$ctr:/app/migrations" "$dir/m" >/dev/null 2>&1; then
    fail "image of ${sha:0:12}: cannot read /app/migrations"
  else
    want="$(g ls-tree --name-only "$sha" migrations/ | sed 's|^migrations/||' | sort | while read -r f; do
      printf '%s %s\n' "$f" "$(g show "$sha:migrations/$f" | md5sum | cut -c1-8)"; done)"
    got="$(cd "$dir/m" && find . -type f | sed 's|^\./||' | sort | while read -r f; do
      printf '%s %s\n' "$f" "$(md5sum <"$f" | cut -c1-8)"; done)"
    if [[ "$want" != "$got" ]]; then
      fail "image: the $kind labelled ${sha:0:12} is not that commit's tree: /app/migrations lacks [$(comm -23 <(echo "$want") <(echo "$got") | cut -d' ' -f1 | tr '\n' ' ' | sed 's/ $//')], has extra or changed [$(comm -13 <(echo "$want") <(echo "$got") | cut -d' ' -f1 | tr '\n' ' ' | sed 's/ $//')]"
      [[ "$kind" != container ]] || NOT_CONVERGED=1 # a wrong image that does not serve is a failure, not a divergence
      IMAGE_MISMATCH=1
    fi
  fi
  [[ "$kind" != image ]] || podman rm -f "$ctr" >/dev/null 2>&1 || true
  rm -rf "$dir"
}

# The successful versions in flyway_schema_history are exactly $1 (space separated); none failed.
check_schema() {
  local want="$1" have failed missing extra
  have="$(sql "select string_agg(version, ' ' order by version::int) from flyway_schema_history where success and version ~ '^[0-9]+\$'" 2>&1)" ||
    { fail "schema: cannot read flyway_schema_history: $have"; NOT_CONVERGED=1; return; }
  failed="$(sql "select count(*) from flyway_schema_history where not success")"
  [[ "$failed" == 0 ]] || { fail "schema: $failed failed migration row(s) in flyway_schema_history"; NOT_CONVERGED=1; }
  missing="$(comm -23 <(tr ' ' '\n' <<<"$want" | sort -u) <(tr ' ' '\n' <<<"$have" | sort -u) | sort -n | tr '\n' ' ')"
  extra="$(comm -13 <(tr ' ' '\n' <<<"$want" | sort -u) <(tr ' ' '\n' <<<"$have" | sort -u) | sort -n | tr '\n' ' ')"
  if [[ -n "$missing$extra" ]]; then
    fail "schema: applied versions [$have]; missing [${missing% }], not of any deployed commit [${extra% }]"
    NOT_CONVERGED=1
  fi
}

check_data() {
  local now
  now="$(data_md5 "$1")"
  if [[ "$now" != "$2" ]]; then
    fail "data: rows with id <= $1 were count:md5 $2 before, now $now"
    DATA_LOSS=1
  fi
}

# Every snapshot file is a finished snapshot (dump + sidecar) of a run the journal has, with that run's commit.
check_snapshots() {
  local runs="$1" f base id run commit jrun
  [[ -d "$snapstage" ]] || return 0
  for f in "$snapstage"/*; do
    [[ -e "$f" ]] || continue
    base="$(basename "$f")"
    case "$base" in
      *.dump) [[ -f "${f%.dump}.json" ]] || leftover "file $base" "leftover snapshot file: $base has no sidecar (an unfinished snapshot)" ;;
      *.json)
        id="${base%.json}"
        [[ -f "$snapstage/$id.dump" ]] || { leftover "file $base" "leftover snapshot file: $base has no dump"; continue; }
        run="$(jq -r '.runId' "$f")" commit="$(jq -r '.commit' "$f")"
        jrun="$(jq -r --argjson r "$run" '.[] | select(.id == $r) | .commit' <<<"$runs")"
        [[ "$jrun" == "$commit" ]] ||
          leftover "file $base" "leftover snapshot file: $base is of run $run ($commit) but the journal's run $run is ${jrun:-missing}"
        ;;
      *) leftover "file $base" "leftover snapshot file: $base ($(stat -c %s "$f") bytes, $(date -r "$f" +%T))" ;;
    esac
  done
}

# No pg_dump/pg_restore of ours and no deploy this suite started is still running once the deploys have returned.
check_processes() {
  local p
  for p in $(pgrep -f -- "--file=$snapdir" 2>/dev/null || true); do
    leftover "process $p" "leftover process: $p $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-160)"
  done
  for p in "${OUR_PIDS[@]}"; do
    if alive "$p"; then
      leftover "process $p" "leftover process: deploy pid $p still running"
    fi
  done
}

# The journal's events of run $1 with at <= $2 (epoch ms), as "TYPE step" lines; empty when there is no such run.
events_until() {
  slipway_json logs "$1" | jq -r --argjson t "$2" "$JQ_MS"'
    .events[] | select((.at | ms) <= $t) | "\(.type) \(.step // "")"' 2>/dev/null
}

# Where in a run the moment $2 (epoch ms) fell, from run $1's journal: start-up, queued, build+snapshot, stop-old,
# migrate, deploy, verify, between-steps, compensation, after-end.
phase_at() {
  local run="$1" t="$2" ev
  [[ -n "$run" ]] || { echo start-up; return; }
  ev="$(events_until "$run" "$t")"
  [[ -n "$ev" ]] || { echo start-up; return; }
  awk '
    { type = $1; step = $2 }
    type == "ROLLED_BACK" || type == "COMPENSATION_FAILED" || type == "RUN_SUCCEEDED" || type == "RUN_FAILED" || type == "RUN_SUPERSEDED" { ended = 1 }
    type == "COMPENSATION_STARTED" { comp = 1 }
    type == "RUN_STARTED" || type == "RUN_RESUMED" { started = 1 }
    type == "STEP_STARTED" { running[step] = 1; if (step == "compensate") comp = 1 }
    type == "STEP_SUCCEEDED" || type == "STEP_FAILED" { delete running[step] }
    END {
      if (ended) { print "after-end"; exit }
      if (comp) { print "compensation"; exit }
      s = ""; for (k in running) s = s (s == "" ? "" : "+") k
      if (s == "build+snapshot" || s == "snapshot+build") s = "build+snapshot"
      if (s != "") { print s; exit }
      print (started ? "between-steps" : "queued")
    }' <<<"$ev"
}

# The id of the newest run of commit $1 with an id above $2, or empty.
run_of_commit() {
  slipway_json runs --limit 50 | jq -r --arg c "$1" --argjson after "$2" '[.[] | select(.commit == $c and .id > $after) | .id] | max // ""'
}

max_run_id() {
  slipway_json runs --limit 1 | jq -r '.[0].id // 0'
}

# The journal's events (not log lines) of run $1, the last $2 of them, for a failure's excerpt.
journal_excerpt() {
  SLIPWAY_PLAIN=1 "$SLIPWAY" logs "$1" -f "$app/slipway.yml" 2>&1 | grep -v -e "^[0-9:]* run [0-9]*   " -e "^ *|" | tail -n "${2:-12}"
}
