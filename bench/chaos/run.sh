#!/usr/bin/env bash
# Chaos suite for the local target (issue 8, acceptance item 2): deploys of hello-server are killed at random moments
# and the stage must converge anyway.
#
#   bench/chaos/run.sh [N] [kill] [term] [five] [lost]   # default N=3, all scenarios; CI: bench/chaos/run.sh 1
#
#   kill  N iterations: `slipway deploy staging` of a new commit gets SIGKILL (the JVM) after a delay drawn
#         uniformly from [0, T], T = a measured full deploy of that kind of commit; then the same deploy again.
#         Commits cycle good / failing migration / failing health; ":comp" iterations kill inside compensation.
#   term  N iterations: the same with SIGTERM, T including JVM start; the SIGTERMed deploy's exit code is checked.
#   five  five checkouts (git worktrees) at five commits, each adding a migration, deploy at once to one stage
#         and one journal: one run at a time, the newest request live from its own tree, the others SUPERSEDED.
#   lost  the journal is deleted and the live commit deployed again: a new snapshot is taken and the migration
#         really runs (nothing of the lost journal's runs is adopted); then a second journal beside the first is
#         refused before anything runs, naming the first.
#
# After every iteration: exit codes; the expected release live (journal, APP_VERSION on every replica, the image's
# files = the commit's); exactly `replicas` running healthy containers and nothing else of the stage; every snapshot
# file belongs to a journal run; no pg_dump/deploy left running; no run non-terminal; the rows that existed before
# unchanged (count and md5); the schema at exactly the expected migrations. Exits 1 if any check failed.
#
# Its own stage: app `hellochaos`, ports CHAOS_PORT (18180) and +1, database CHAOS_DB (hello_chaos), Redis db 3,
# work files in CHAOS_WORK (bench/chaos/.work): a SQLite journal, snapshots, one log per deploy. Removed at the end
# unless CHAOS_KEEP=1. CHAOS_SEED fixes the random delays (printed, to replay a run); CHAOS_DEPLOY_TIMEOUT bounds
# every deploy (300 s); CHAOS_FIVE_ROUNDS repeats the five scenario (1); CHAOS_ROWS rows are in the database from
# the start (100000, so pg_dump takes a moment worth hitting). Needs the demo's services
# (scripts/lib/local-env.sh sets them up as root on Debian).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/bench/chaos"
n="${1:-3}"
[[ "$n" =~ ^[0-9]+$ ]] || { echo "usage: bench/chaos/run.sh [N] [kill] [term] [five]" >&2; exit 2; }
shift || true
scenarios="${*:-kill term five lost}"
seed="${CHAOS_SEED:-$(( $(date +%s) % 32768 ))}"
RANDOM=$seed
OUR_PIDS=()
ABORT=0
FIVE_RESULT=""
LOST_RESULT=""
FIVE_CROSSED=0

. "$here/lib/stage.sh"
. "$here/lib/checks.sh"
. "$here/lib/scenarios.sh"
. "$here/lib/five.sh"
. "$here/lib/lost.sh"

mkdir -p "$logdir"
rm -f "$logdir"/*.log
t_suite="$(now_ms)"

cleanup() {
  local p
  for p in "${OUR_PIDS[@]}"; do # only deploys not yet reaped: a reaped pid may belong to anyone now
    if alive "$p"; then kill -9 "$p" 2>/dev/null || true; fi
  done
  [[ -d "$app/.git" ]] && g worktree prune 2>/dev/null || true
  if [[ "${CHAOS_KEEP:-}" == 1 ]]; then
    echo "chaos: CHAOS_KEEP=1: the stage is left up (ports $port-$((port + 1)), database $db, $work)"
    return
  fi
  stage_clean
  dropdb -h 127.0.0.1 -p "${SLIPWAY_PG_PORT:-55432}" -U postgres --if-exists "$db" 2>/dev/null || true
  rm -rf "$app" "$snapdir" "$work/five" "$work/state.db" "$work/state.db-wal" "$work/state.db-shm"
  echo "chaos: stage removed (containers, images, database $db, journal, snapshots); deploy logs kept in $logdir"
}
trap cleanup EXIT

# kill/term cycles: ":comp" waits for compensation to start, then signals within its measured duration; ":snap"
# the same for the snapshot (pg_dump) step, which is too short for a uniform draw to hit often.
# bad-migration is caught by the stage's default preflight before anything stops; late-migration is the same migration
# with preflight: false, so that it fails after stop-old and compensation (what ":comp" signals into) runs.
# The first entries are what a short round (the test command's N=1) must cover: a kill inside compensation and a SIGTERM
# of a good deploy at a random moment, start-up included.
kill_plan=(late-migration:comp good bad-health good:snap bad-migration good bad-health:comp good)
term_plan=(good bad-health good:snap late-migration:comp good bad-migration good bad-health:comp)

echo "chaos: seed $seed, N=$n, scenarios: $scenarios; stage $CHAOS_APP/$CHAOS_STAGE on ports $port-$((port + 1)), database $db"
stage_setup
echo "chaos: environment ready; logs in $logdir"

# Measure the kinds this round's iterations draw their delays from (and bad-migration, whose measured deploy checks
# that the preflight stops it before anything is stopped); "first" deploys the stage and seeds its rows.
declare -A NEEDED=([first]=1 [good]=1 [bad-migration]=1)
for ((i = 0; i < n; i++)); do
  [[ " $scenarios " != *" kill "* ]] || NEEDED[${kill_plan[$((i % ${#kill_plan[@]}))]%%:*}]=1
  [[ " $scenarios " != *" term "* ]] || NEEDED[${term_plan[$((i % ${#term_plan[@]}))]%%:*}]=1
done
for kind in first good bad-migration late-migration bad-health; do [[ -z "${NEEDED[$kind]:-}" ]] || measure "$kind"; done

if [[ " $scenarios " == *" kill "* ]]; then
  for ((i = 1; i <= n && !ABORT; i++)); do chaos_iteration KILL "$i" "$n" "${kill_plan[$(((i - 1) % ${#kill_plan[@]}))]}"; done
fi
if [[ " $scenarios " == *" term "* ]]; then
  for ((i = 1; i <= n && !ABORT; i++)); do chaos_iteration TERM "$i" "$n" "${term_plan[$(((i - 1) % ${#term_plan[@]}))]}"; done
fi
# five: CHAOS_FIVE_ROUNDS rounds (1), and up to two more while no process has driven another's request yet (which
# is what the scenario exists for; which process wins the lease first is up to the race).
if [[ " $scenarios " == *" five "* ]]; then
  five_min="${CHAOS_FIVE_ROUNDS:-1}" crossed=0
  for ((r = 1; (r <= five_min || (!crossed && r <= five_min + 2)) && !ABORT; r++)); do
    five_round "$r"
    ((FIVE_CROSSED == 0)) || crossed=1
  done
fi

# lost: the journal deleted and the live commit deployed again (a new snapshot, a real migration), then a second
# journal refused. Last, because the lost journal's snapshots stay behind on purpose.
if [[ " $scenarios " == *" lost "* ]] && ((!ABORT)); then
  lost_round
fi

# ---------------------------------------------------------------------------------------------------- figures
stats() { # "mean p50 max" in seconds of the ms values given
  [[ $# -gt 0 ]] || { echo "-"; return; }
  printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1; s += $1 } END { printf "mean %.1f s, p50 %.1f s, max %.1f s", s / NR / 1000, v[int((NR + 1) / 2)] / 1000, v[NR] / 1000 }'
}
hist() { # SIG: "phase×count ..." for that signal
  local k out=""
  for k in "${!PHASES[@]}"; do [[ "$k" == "$1:"* ]] && out+="${k#*:}×${PHASES[$k]} "; done
  echo "${out:-none}"
}
echo
echo "== chaos figures (seed $seed, N=$n)"
printf '%-26s %s\n' "iterations" "$ITERATIONS (kill $KILL_ITERS, term $TERM_ITERS, five $FIVE_ROUNDS; the ${#T_MS[@]} measured deploys are checked too: $MEASURE_FAILED failed)"
printf '%-26s %s\n' "converged" "$CONVERGED/$ITERATIONS"
printf '%-26s %s\n' "failed checks" "$FAILED_ITERS iteration(s) with at least one"
printf '%-26s %s\n' "leftovers found" "${#SEEN_LEFTOVER[@]} (new in $LEFTOVER_ITERS iteration(s); each is reported once)"
printf '%-26s %s\n' "data loss found" "$DATALOSS_ITERS iteration(s)"
printf '%-26s %s\n' "non-terminal runs found" "$NONTERMINAL_ITERS iteration(s)"
printf '%-26s %s\n' "events after a run's end" "$ORDER_ITERS iteration(s)"
printf '%-26s %s\n' "SIGKILL landed in" "$(hist KILL)"
printf '%-26s %s\n' "SIGTERM landed in" "$(hist TERM)"
codes=""; for k in "${!TERM_CODES[@]}"; do codes+="exit $k×${TERM_CODES[$k]} "; done
printf '%-26s %s\n' "SIGTERMed deploy" "${codes:-none}"
printf '%-26s %s\n' "five at once" "${FIVE_RESULT:-not run}"
printf '%-26s %s\n' "lost journal" "${LOST_RESULT:-not run}"
took() { [[ -n "${T_MS[$1]:-}" ]] && echo "$(secs "${T_MS[$1]}") s" || echo "not measured"; }
comp() { [[ -n "${C_MS[$1]:-}" ]] && echo " (compensation $(secs "${C_MS[$1]}") s)"; }
printf '%-26s %s\n' "full deploy T" "pg_dump $(secs "$S_MS") s; first $(took first), good $(took good), bad-migration $(took bad-migration) (caught by the preflight), late-migration $(took late-migration)$(comp late-migration), bad-health $(took bad-health)$(comp bad-health)"
printf '%-26s %s\n' "deploy after the signal" "$(stats "${RESUME_MS[@]}")"
printf '%-26s %s\n' "iteration" "$(stats "${ITER_MS[@]}")"
printf '%-26s %s\n' "suite" "$(secs $(($(now_ms) - t_suite))) s"
# One closing line in the plain "N passed, N failed" form, so CI counts the iterations as tests.
if ((${#SUMMARY_FAILS[@]})); then
  echo
  echo "== ${#SUMMARY_FAILS[@]} failed check(s)"
  printf '  %s\n' "${SUMMARY_FAILS[@]}"
  echo "chaos: $((ITERATIONS - FAILED_ITERS)) passed, $FAILED_ITERS failed"
  exit 1
fi
echo "all checks passed"
echo "chaos: $ITERATIONS passed, 0 failed"
