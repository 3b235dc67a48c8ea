# shellcheck shell=bash
# lost: the journal is lost (a runner's disk, a deleted .slipway/) and the live commit is deployed again on a fresh
# journal. Every run has a key of its own, so the new run 1 takes a NEW snapshot and really runs the migration in a
# container of its own instead of adopting the old run 1's work. Then a second journal beside a journal that still
# exists is refused before anything runs, and the stage keeps serving. Runs last: the lost journal's snapshot
# files stay behind on purpose (they belong to the lost journal), which the per-iteration snapshot check would flag.
lost_round() {
  checks_reset
  local t_iter out1="$logdir/lost-redeploy.out" out2="$logdir/lost-second-journal.out" dumps_before dumps_after
  local logs mig_container rc
  t_iter="$(now_ms)"
  g checkout -q main
  data_mark
  local names_before
  names_before="$(find "$snapstage" -name '*.dump' -printf '%f\n' 2>/dev/null | sort || true)"
  dumps_before="$(grep -c . <<<"$names_before" || true)"
  rm -f "$work/state.db" "$work/state.db-wal" "$work/state.db-shm"
  run_deploy "$out1"
  [[ "$DEPLOY_RC" == 0 ]] || fail "lost: deploying the live commit on a fresh journal exited $DEPLOY_RC (output: $out1)"
  # retention (snapshots.keep) may remove the oldest file: a new name is what shows a snapshot of the new run
  dumps_after="$(find "$snapstage" -name '*.dump' -printf '%f\n' 2>/dev/null | sort | comm -13 <(echo "$names_before") - | grep -c . || true)"
  ((dumps_after == 1)) ||
    fail "lost: expected one new snapshot file beside the $dumps_before old one(s), found $dumps_after new"
  logs="$(slipway_json logs 1 || echo '{"events":[],"logs":[]}')"
  jq -e '[.events[] | select(.type == "STEP_SUCCEEDED" and .step == "migrate")] | length == 1' <<<"$logs" >/dev/null ||
    fail "lost: run 1 of the fresh journal has no successful migrate step"
  mig_container="$(jq -r '.logs[] | select(.step == "migrate") | .line' <<<"$logs" | grep -o "$CHAOS_APP-$CHAOS_STAGE-[0-9a-z]*-migrate" | head -n 1 || true)"
  jq -e '[.logs[] | select(.step == "migrate" and (.line | startswith("running `")))] | length == 1' <<<"$logs" >/dev/null ||
    fail "lost: run 1's migrate step did not start a migration container of its own (adopted one, or ran none)"
  jq -e '[.logs[] | select(.step == "snapshot" and (.line | test("already taken")))] | length == 0' <<<"$logs" >/dev/null ||
    fail "lost: run 1 of the fresh journal adopted an old snapshot"
  check_containers "$good_sha" 1
  check_schema "$good_versions"
  check_data "$DATA_MAXID" "$DATA_MD5"

  SLIPWAY_STATE_URL="jdbc:sqlite:$work/second.db" SLIPWAY_PLAIN=1 "$SLIPWAY" deploy "$CHAOS_STAGE" -f "$app/slipway.yml" \
    >"$out2" 2>&1 </dev/null && rc=0 || rc=$?
  [[ "$rc" == 1 ]] || fail "lost: a deploy with a second journal exited $rc, expected 1 (output: $out2)"
  grep -q "another Slipway journal, at sqlite:$work/state.db" "$out2" ||
    fail "lost: the second journal's refusal does not name the first journal (output: $out2)"
  grep -q "nothing on stage $CHAOS_STAGE was changed" "$out2" || fail "lost: the refusal does not say nothing was changed"
  check_containers "$good_sha" 1
  rm -f "$work/second.db" "$work/second.db-wal" "$work/second.db-shm"
  count_iteration
  ITER_MS+=($(($(now_ms) - t_iter)))
  LOST_RESULT="$( ((${#FAILS[@]})) && echo FAIL || echo ok): new snapshot file ($dumps_after new beside $dumps_before), migration ran (${mig_container:-no container named}), second journal refused with exit $rc"
  printf 'lost       journal deleted, live commit deployed again: exit %s; second journal: exit %s  %s\n' "$DEPLOY_RC" "$rc" \
    "$( ((${#FAILS[@]})) && echo FAIL || echo ok)"
  ((${#FAILS[@]} == 0)) || report_fails "lost" "1"
}
