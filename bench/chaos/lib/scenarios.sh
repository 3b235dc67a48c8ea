# shellcheck shell=bash
# The scenarios: measure (full deploys of each kind, the T the signals are drawn over), kill/term (a signal at a
# random moment of a deploy, then the same deploy again), five (five checkouts deploy five commits at once).

declare -A T_MS=() C_MS=() PHASES=() TERM_CODES=()
S_MS=1000 # how long pg_dump took in the measured good deploy
KILL_ITERS=0 TERM_ITERS=0 FIVE_ROUNDS=0 MEASURE_FAILED=0
ITERATIONS=0 CONVERGED=0 ORDER_ITERS=0 LEFTOVER_ITERS=0 DATALOSS_ITERS=0 NONTERMINAL_ITERS=0 FAILED_ITERS=0
RESUME_MS=() ITER_MS=()
SUMMARY_FAILS=()

# A uniform draw from [0, $1] ms, reproducible from CHAOS_SEED (bash's RANDOM is seeded in run.sh).
uniform_ms() { echo $(((RANDOM * 32768 + RANDOM) % ($1 + 1))); }

make_commit() {
  case "$1" in
    good) commit_good ;;
    bad-migration) commit_bad_migration ;;
    late-migration) commit_late_migration ;;
    bad-health) commit_bad_health ;;
  esac
}

# Prints the iteration's failures under its line, with the journal's events of the runs involved.
report_fails() {
  local label="$1" runs="$2" f r
  for f in "${FAILS[@]}"; do
    printf '    x %s\n' "$f"
    SUMMARY_FAILS+=("$label: $f")
  done
  for r in $runs; do
    [[ -n "$r" ]] || continue
    printf '    journal of run %s (events, last 12):\n' "$r"
    journal_excerpt "$r" 12 | sed 's/^/      /'
  done
}

count_iteration() {
  ITERATIONS=$((ITERATIONS + 1))
  ((NOT_CONVERGED)) || CONVERGED=$((CONVERGED + 1))
  ((LEFTOVERS == 0)) || LEFTOVER_ITERS=$((LEFTOVER_ITERS + 1))
  ((DATA_LOSS == 0)) || DATALOSS_ITERS=$((DATALOSS_ITERS + 1))
  ((NON_TERMINAL == 0)) || NONTERMINAL_ITERS=$((NONTERMINAL_ITERS + 1))
  ((JOURNAL_ORDER == 0)) || ORDER_ITERS=$((ORDER_ITERS + 1))
  ((${#FAILS[@]} == 0)) || FAILED_ITERS=$((FAILED_ITERS + 1))
}

# measure KIND: one full deploy of a new commit of KIND without interference; T_MS[KIND] is its wall time (JVM
# start to exit), C_MS[KIND] its compensation. The deploy is checked like any iteration.
measure() {
  local kind="$1" sha want_rc versions run out="$logdir/measure-$1.log"
  checks_reset
  if [[ "$kind" == first ]]; then
    sha="$good_sha"
    g checkout -q main
  else
    make_commit "$kind"
    sha="$COMMIT_SHA"
  fi
  [[ "$kind" == bad-* || "$kind" == late-* ]] && want_rc=1 || want_rc=0
  data_mark
  run_deploy "$out"
  T_MS[$kind]=$DEPLOY_MS
  [[ "$DEPLOY_RC" == "$want_rc" ]] || fail "exit: deploy of $kind commit ${sha:0:12} exited $DEPLOY_RC, expected $want_rc (output: $out)"
  run="$(run_of_commit "$sha" 0)"
  if [[ "$kind" == bad-migration ]]; then # caught by the preflight: nothing stopped, nothing to compensate
    slipway_json logs "${run:-0}" | jq -e '[.events[] | select(.type | startswith("STEP_")) | .step] as $s
        | ($s | index("stop-old")) == null and ($s | index("compensate")) == null
        and ([.events[] | select(.type == "STEP_FAILED" and .step == "preflight")] | length) == 1' >/dev/null ||
      fail "measure: run ${run:-?} of the bad-migration commit did not fail in its preflight before stop-old"
    sha="$good_sha"
  elif [[ "$kind" == bad-* || "$kind" == late-* ]]; then
    C_MS[$kind]="$(slipway_json runs --limit 5 | jq -r --argjson r "${run:-0}" '.[] | select(.id == $r) | .steps[] | select(.name == "compensate") | .durationMs // 0')"
    [[ -n "${C_MS[$kind]}" && "${C_MS[$kind]}" != 0 ]] || { fail "measure: run ${run:-?} of the $kind commit has no compensate step"; C_MS[$kind]=2000; }
    sha="$good_sha"
  fi
  [[ "$kind" != good ]] || S_MS="$(slipway_json logs "${run:-0}" | jq -r '[.logs[] | select(.step == "snapshot") | .line
      | capture("^snapshot .*: [0-9]+ bytes in (?<ms>[0-9]+) ms") | .ms][0] // "1000"')"
  [[ "$kind" == first ]] && sql "insert into greetings (name, name_length) select 'seed-' || g, length('seed-' || g) from generate_series(1, ${CHAOS_ROWS:-100000}) g" >/dev/null
  check_stage "$sha" "$good_versions"
  check_data "$DATA_MAXID" "$DATA_MD5"
  check_journal_order "$run"
  printf 'measure %-14s %s run %-3s exit %s in %5ss%s  %s\n' "$kind" "${COMMIT_SHA:-$sha}" "${run:-?}" "$DEPLOY_RC" "$(secs "$DEPLOY_MS")" \
    "$([[ -n "${C_MS[$kind]:-}" ]] && echo ", compensation $(secs "${C_MS[$kind]}")s")" "$( ((${#FAILS[@]})) && echo FAIL || echo ok)"
  ((${#FAILS[@]} == 0)) || { MEASURE_FAILED=$((MEASURE_FAILED + 1)); report_fails "measure $kind" "$run"; }
  COMMIT_SHA=""
  g checkout -q main
}

# chaos_iteration SIGNAL I N KIND[:comp|:snap]: a deploy of a new KIND commit gets SIGNAL after a uniform delay in
# [0, T]; ":comp": once it prints that it is bringing the previous version back, within [0, 0.9 C]; ":snap": once it
# says it starts pg_dump, within [0, 0.9 S], S = pg_dump's measured time. Then the same deploy runs again and the stage is checked.
chaos_iteration() {
  local sig="$1" i="$2" n="$3" kind="${4%%:*}" mode="" t_iter t_sig delay window sha versions want_rc
  local before out1 out2 run phase rc1="" line verdict
  [[ "$4" != *:* ]] || mode="${4#*:}"
  t_iter="$(now_ms)"
  checks_reset
  make_commit "$kind"
  sha="$COMMIT_SHA"
  if [[ "$kind" == good ]]; then versions="$good_versions" want_rc=0; else versions="$good_versions" want_rc=1; fi
  local expect="$sha"
  [[ "$kind" == good ]] || expect="$good_sha"
  data_write "$sig-$i"
  data_mark
  before="$(max_run_id)"
  out1="$logdir/$sig-$i-first.log" out2="$logdir/$sig-$i-again.log"
  start_deploy "$out1"
  local pid="$DEPLOY_PID" t0
  t0="$(now_ms)"
  if [[ -n "$mode" ]]; then
    local mark="bringing the previous version back"
    window=$((C_MS[$kind] * 9 / 10)) # the step's own time, less what it takes to write its end
    if [[ "$mode" == snap ]]; then mark="pg_dump -Fc of" window=$((S_MS * 9 / 10)); fi
    local deadline=$(($(date +%s) + deploy_timeout))
    until grep -q "$mark" "$out1" 2>/dev/null || ! alive "$pid" || (($(date +%s) > deadline)); do sleep 0.02; done
    grep -q "$mark" "$out1" || fail "$mode: the deploy of $kind commit ${sha:0:12} never printed '$mark' (output: $out1)"
    delay="$(uniform_ms "$window")"
  else
    window="${T_MS[$kind]}"
    delay="$(uniform_ms "$window")"
  fi
  sleep "$(secs "$delay")"
  t_sig="$(now_ms)"
  local ended_before=""
  alive "$pid" || ended_before=" (it had already ended)"
  kill "-$sig" "$pid" 2>/dev/null || true
  if [[ "$sig" == KILL ]]; then
    wait_exit "$pid" 10 2>/dev/null # (bash would print "Killed")
  else
    wait_exit "$pid" "$deploy_timeout" 2>/dev/null
    rc1=$WAIT_RC
  fi
  run="$(run_of_commit "$sha" "$before")"
  phase="$(phase_at "$run" "$t_sig")"
  PHASES[$sig:$phase]=$((${PHASES[$sig:$phase]:-0} + 1))
  [[ "$sig" != TERM ]] || check_term_exit "$rc1" "$phase" "$run" "$kind"
  run_deploy "$out2"
  RESUME_MS+=("$DEPLOY_MS")
  [[ "$DEPLOY_RC" == "$want_rc" ]] || fail "exit: the deploy after SIG$sig exited $DEPLOY_RC, expected $want_rc (output: $out2)"
  local involved
  involved="$run $(runs_after "$before" "$run")"
  check_stage "$expect" "$versions"
  check_data "$DATA_MAXID" "$DATA_MD5"
  check_journal_order $involved
  count_iteration
  [[ "$sig" == KILL ]] && KILL_ITERS=$((KILL_ITERS + 1)) || TERM_ITERS=$((TERM_ITERS + 1))
  ITER_MS+=($(($(now_ms) - t_iter)))
  verdict="$( ((${#FAILS[@]})) && echo FAIL || echo ok)"
  ((STILL_THERE == 0)) || verdict+=" ($STILL_THERE earlier leftover(s) still there)"
  local wname=T # the window the delay was drawn from: T (whole deploy), C (compensation), S (pg_dump)
  [[ "$mode" != comp ]] || wname=C
  [[ "$mode" != snap ]] || wname=S
  line="$(printf '%-4s %2d/%-2d %-18s %s %s=%5ss SIG%s at %5ss%s in %-14s' "${sig,,}" "$i" "$n" "$kind${mode:+:$mode}" "${sha:0:12}" \
    "$wname" "$(secs "$window")" "$sig" "$(secs $((t_sig - t0)))" "$ended_before" "$phase")"
  [[ -z "$rc1" ]] || line+=" exit $rc1;"
  printf '%s again: exit %s in %5ss  %s\n' "$line" "$DEPLOY_RC" "$(secs "$DEPLOY_MS")" "$verdict"
  ((${#FAILS[@]} == 0)) || report_fails "${sig,,} $i ($kind${mode:+:$mode}, ${sha:0:12}, SIG$sig in $phase)" "$involved"
  ((NOT_CONVERGED == 0)) || recover "$expect"
  g checkout -q main
}

# Runs newer than $1 other than $2 (the deploy again made them).
runs_after() {
  slipway_json runs --limit 20 | jq -r --argjson a "$1" --arg skip "$2" '[.[] | select(.id > $a and (.id | tostring) != $skip) | .id] | sort | join(" ")'
}

# What the SIGTERMed deploy may exit with (README: 1 nothing changed / rolled back, 3 only if compensation failed).
check_term_exit() {
  local rc="$1" phase="$2" run="$3" kind="$4" events=""
  TERM_CODES[$rc]=$((${TERM_CODES[$rc]:-0} + 1))
  [[ -z "$run" ]] || events="$(slipway_json logs "$run" | jq -r '.events[] | "\(.type) \(.data.reason // "")"' 2>/dev/null)"
  case "$rc" in
    143) [[ "$phase" == start-up || "$phase" == queued ]] ||
      fail "term: the JVM died of SIGTERM (143) in $phase instead of stopping the run" ;;
    0) [[ "$kind" == good && "$phase" == after-end ]] ||
      fail "term: exit 0 after SIGTERM in $phase ($kind commit): the signal did not stop the run" ;;
    1) # once compensation runs, a signal lets it finish: the run was already failing, not interrupted. A run still
      # queued when the signal came never started: it ends RUN_FAILED "cancelled before it started (interrupted by SIGTERM)".
      # The clock says when the signal was sent, not when the JVM's handler ran: a run queued at the signal may have
      # started before the handler cancelled it. Then it must end as an interrupted run that changed nothing.
      if [[ "$phase" == queued ]] && ! grep -q "^RUN_STARTED" <<<"$events"; then
        grep -q "^RUN_FAILED cancelled before it started (interrupted by SIGTERM)" <<<"$events" ||
          fail "term: exit 1 but queued run ${run:-?} does not end 'cancelled before it started (interrupted by SIGTERM)'"
      elif [[ "$phase" == queued ]]; then
        { grep -q "^RUN_INTERRUPTED .*SIGTERM" <<<"$events" && grep -q "^RUN_FAILED .*nothing on stage .* was changed" <<<"$events"; } ||
          fail "term: run ${run:-?}, queued at the signal, started before the handler ran but does not end interrupted with nothing changed"
      elif [[ "$phase" != start-up && "$phase" != after-end && "$phase" != compensation ]] &&
        ! grep -q "^RUN_INTERRUPTED .*SIGTERM" <<<"$events"; then
        fail "term: exit 1 but run ${run:-?} does not record RUN_INTERRUPTED by SIGTERM"
      fi ;;
    3) if grep -q "^COMPENSATION_FAILED" <<<"$events"; then
      fail "term: SIGTERM in $phase left run ${run:-?} NEEDS_ATTENTION: $(grep "^COMPENSATION_FAILED" <<<"$events" | head -n 1 | cut -c1-200)"
    else
      fail "term: exit 3 without COMPENSATION_FAILED in run ${run:-?}"
    fi ;;
    124) fail "term: the SIGTERMed deploy did not exit within ${deploy_timeout}s (killed)" ;;
    *) fail "term: the SIGTERMed deploy exited $rc" ;;
  esac
}

# After an iteration that did not converge: one plain deploy of the release that should be live, so the next
# iteration starts from a known state. If that fails too, the suite stops (later checks would only repeat it).
recover() {
  checkout "$1"
  run_deploy "$logdir/recover-$(now_ms).log"
  printf '    recovery deploy of %s: exit %s in %ss\n' "${1:0:12}" "$DEPLOY_RC" "$(secs "$DEPLOY_MS")"
  if [[ "$DEPLOY_RC" != 0 ]]; then
    SUMMARY_FAILS+=("recovery deploy of ${1:0:12} exited $DEPLOY_RC: stopping the suite")
    ABORT=1
  fi
  g checkout -q main
}
