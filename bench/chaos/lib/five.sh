# shellcheck shell=bash
# Five deploys of five commits started together, each from its own checkout (a git worktree of the scratch repo at
# commit k, which adds migration k), all on one journal and one stage. Expected (DESIGN.md, engine rules): one run
# at a time; the newest request live and SUCCEEDED; the others SUPERSEDED, or SUCCEEDED only if they had started
# before the newest was queued; the image labelled with the live commit holds that commit's tree (an image labelled
# X holds X's tree, whichever checkout the building process has); every migration of the live commit applied.

five_round() {
  local r="$1" k t_round before runs newest sha rc states all_ok=1 ids id
  local -a shas=() vers=() dirs=() pids=() outs=() rcs=()
  t_round="$(now_ms)"
  checks_reset
  IMAGE_MISMATCH=0 FIVE_CROSSED=0
  local base_versions="$good_versions"
  for k in 1 2 3 4 5; do
    commit_good
    shas[k]="$COMMIT_SHA" vers[k]="$good_versions" dirs[k]="$work/five/r$r-c$k"
    g worktree add -q --detach "${dirs[k]}" "${shas[k]}"
  done
  data_write "five-$r"
  data_mark
  before="$(max_run_id)"
  for k in 1 2 3 4 5; do
    outs[k]="$logdir/five-$r-c$k.log"
    start_deploy "${outs[k]}" "${dirs[k]}"
    pids[k]=$DEPLOY_PID
  done
  for k in 1 2 3 4 5; do
    wait_exit "${pids[k]}" $((deploy_timeout * 2))
    rcs[k]=$WAIT_RC
  done
  runs="$(slipway_json runs --limit 50 | jq -c --argjson b "$before" '[.[] | select(.id > $b)] | sort_by(.id)')"
  newest="$(jq -r 'max_by(.id) | .id // ""' <<<"$runs")"
  sha="$(jq -r 'max_by(.id) | .commit // ""' <<<"$runs")"
  printf 'five %d: five checkouts (commits %s) deployed at once\n' "$r" "$(for k in 1 2 3 4 5; do printf '%s ' "${shas[k]:0:7}"; done)"
  for k in 1 2 3 4 5; do
    id="$(jq -r --arg c "${shas[k]}" '[.[] | select(.commit == $c) | .id] | join(",")' <<<"$runs")"
    states="$(jq -r --arg c "${shas[k]}" '[.[] | select(.commit == $c) | .state] | join(",")' <<<"$runs")"
    driven_by "$id" "$k" "${pids[*]}"
    built_from "$id"
    printf '  checkout c%d (%s, V%s): exit %s, run %s %s%s%s\n' "$k" "${shas[k]:0:12}" "${vers[k]##* }" "${rcs[k]}" "${id:-none}" \
      "${states:-}" "$DRIVEN" "$BUILT"
    [[ "${rcs[k]}" == 0 ]] || fail "five: the deploy from checkout c$k exited ${rcs[k]}, expected 0 (output: ${outs[k]})"
    [[ "$(grep -c . <<<"${id//,/$'\n'}")" == 1 ]] || fail "five: commit c$k has run(s) [${id:-none}], expected exactly one"
  done
  five_states "$runs" "$newest"
  five_overlap "$runs"
  # the history is linear, so the schema must hold the migrations of the newest commit that SUCCEEDED here, and
  # none of a commit that only got superseded
  local want="$base_versions"
  for k in 1 2 3 4 5; do
    [[ "$(jq -r --arg c "${shas[k]}" '[.[] | select(.commit == $c and .state == "SUCCEEDED")] | length' <<<"$runs")" == 0 ]] || want="${vers[k]}"
  done
  [[ -n "$sha" && " ${shas[*]} " == *" $sha "* ]] || fail "five: the newest run ${newest:-none} is not of one of the five commits"
  check_stage "$sha" "$want"
  five_images "${shas[*]}"
  check_data "$DATA_MAXID" "$DATA_MD5"
  check_journal_order $(jq -r '.[].id' <<<"$runs")
  count_iteration
  FIVE_ROUNDS=$((FIVE_ROUNDS + 1))
  ITER_MS+=($(($(now_ms) - t_round)))
  local result
  result="$( ((${#FAILS[@]})) && echo FAIL || echo ok)"
  ((FIVE_CROSSED)) || result+=" (no process drove another's request)"
  FIVE_RESULT="${FIVE_RESULT:+$FIVE_RESULT; }round $r $result"
  printf '  newest request: run %s (%s); round took %ss  %s\n' "${newest:-none}" "${sha:0:12}" "$(secs $(($(now_ms) - t_round)))" "$result"
  ids="$(jq -r '[.[].id] | join(" ")' <<<"$runs")"
  ((${#FAILS[@]} == 0)) || report_fails "five $r" "$ids"
  for k in 1 2 3 4 5; do g worktree remove --force "${dirs[k]}" 2>/dev/null || true; done
  g worktree prune
  # what serves now is the newest run's commit (whatever it holds): later rounds start from main's tip anyway
  good_sha="$(g rev-parse main)"
  ((NOT_CONVERGED == 0)) || recover "$good_sha"
}

# Which deploy process drove run $1 (requested by checkout $2's process): the pid in its RUN_STARTED holder
# (host/boot-id/pid/start) among the five JVM pids $3. Sets FIVE_CROSSED when a process drove another's request, which is
# what this scenario is about. DRIVEN says it for the report line.
driven_by() {
  DRIVEN=""
  [[ -n "$1" && "$1" != *,* ]] || return 0
  local holder pid j=0 p
  holder="$(slipway_json logs "$1" | jq -r '[.events[] | select(.type == "RUN_STARTED")][0].data.holder // ""' 2>/dev/null)"
  [[ -n "$holder" ]] || return 0
  pid="$(cut -d/ -f3 <<<"$holder")"
  for p in $3; do
    j=$((j + 1))
    [[ "$p" == "$pid" ]] || continue
    [[ "$j" == "$2" ]] || FIVE_CROSSED=1
    DRIVEN=", driven by checkout c$j's process"
    return 0
  done
  DRIVEN=", driven by $holder"
}

# What the run's build step built from (its log line "building <tag> from <dir>/Containerfile"): a commit unpacked
# from git objects (.slipway/src/<sha>/, whichever checkout's process drove it) or a checkout's working tree. A
# build of another commit's tree under this run's tag fails the round.
built_from() {
  BUILT=""
  [[ -n "$1" && "$1" != *,* ]] || return 0
  local l sha tagged
  l="$(slipway_json logs "$1" | jq -r '.logs[] | select(.step == "build") | .line | select(startswith("building "))' 2>/dev/null | head -n 1)"
  [[ -n "$l" ]] || { BUILT=", no build of its own"; return 0; }
  tagged="$(sed -E 's|^building [^ ]*:([0-9a-f]+) from .*|\1|' <<<"$l")"
  if [[ "$l" =~ /\.slipway/src/([0-9a-f]+)/ ]]; then
    sha="${BASH_REMATCH[1]}"
    [[ "$sha" == "$tagged"* || "$tagged" == "$sha"* ]] ||
      fail "five: run $1 is tagged ${tagged:0:12} but was built from the git objects of ${sha:0:12}"
    BUILT=", built from the git objects of ${sha:0:12}"
    return 0
  fi
  fail "five: run $1 was built from a working tree, not from its commit's git objects: $l"
  BUILT="$(sed -E "s|^building [^ ]*:([0-9a-f]{7})[0-9a-f]* from $work/five/r[0-9]+-(c[0-9])/.*|, built from checkout \2's files|; s|^building [^ ]*:([0-9a-f]{7})[0-9a-f]* from (.*)|, built from \2|" <<<"$l")"
}

# The newest request SUCCEEDED; every other run was SUPERSEDED by a newer one or SUCCEEDED (it was picked before the
# newest was queued: five processes starting together cannot make the first holder wait for the others; that runs
# never overlap is five_overlap's check). Anything else (FAILED, ROLLED_BACK, ...) fails.
five_states() {
  local runs="$1" newest="$2" bad
  [[ -n "$newest" ]] || { fail "five: no run was queued"; NOT_CONVERGED=1; return; }
  [[ "$(jq -r --argjson n "$newest" '.[] | select(.id == $n) | .state' <<<"$runs")" == SUCCEEDED ]] ||
    { fail "five: the newest request (run $newest) is $(jq -r --argjson n "$newest" '.[] | select(.id == $n) | .state' <<<"$runs"), expected SUCCEEDED"; NOT_CONVERGED=1; }
  bad="$(jq -r --argjson n "$newest" '
    def by: (.reason // "") | capture("superseded by run (?<b>[0-9]+)") | .b | tonumber;
    .[] | select(.id != $n)
    | if .state == "SUPERSEDED" then
        (if (by // 0) > .id then empty else "run \(.id) (\(.commit[0:12])) was superseded by run \(by // "?"), which is not newer" end)
      elif .state == "SUCCEEDED" then empty
      else "run \(.id) (\(.commit[0:12])) is \(.state), expected SUPERSEDED or SUCCEEDED: \((.reason // "") | split("\n")[0])" end' <<<"$runs")"
  [[ -z "$bad" ]] || while read -r l; do fail "five: $l"; done <<<"$bad"
}

# No two runs of the stage were between their first RUN_STARTED and their end at the same time.
five_overlap() {
  local runs="$1" id spans=""
  for id in $(jq -r '.[] | select(.startedAt != null) | .id' <<<"$runs"); do
    spans+="$(slipway_json logs "$id" | jq -r --argjson id "$id" "$JQ_MS"'
      [.events[] | select(.type == "RUN_STARTED" or .type == "RUN_RESUMED")][0].at as $s
      | [.events[] | select(.type | test("^(RUN_SUCCEEDED|RUN_FAILED|ROLLED_BACK|COMPENSATION_FAILED|RUN_SUPERSEDED)$"))][-1].at as $e
      | "\($s | ms) \(if $e then ($e | ms) else 99999999999999 end) \($id)"')"$'\n'
  done
  sort -n <<<"$spans" | awk 'NF == 3 { if (prev_end != "" && $1 < prev_end) printf "run %s started while run %s was running (%d ms of overlap)\n", $3, prev_id, prev_end - $1;
      if (prev_end == "" || $2 > prev_end) { prev_end = $2; prev_id = $3 } }' >"$logdir/five-overlaps.txt"
  while read -r l; do [[ -z "$l" ]] || { fail "five: two runs at once: $l"; NOT_CONVERGED=1; }; done <"$logdir/five-overlaps.txt"
}

# Every image this round built (labelled with one of the five commits) holds that commit's migrations.
five_images() {
  local want=" $1 " img c
  while read -r img c; do
    [[ -n "$img" && "$want" == *" $c "* ]] || continue
    check_image_tree image "$img" "$c"
  done < <(podman images --filter "label=slipway.app=$CHAOS_APP" --format '{{.ID}}' 2>/dev/null | sort -u | while read -r i; do
    printf '%s %s\n' "$i" "$(podman image inspect "$i" --format '{{index .Labels "slipway.commit"}}' 2>/dev/null)"; done)
}
