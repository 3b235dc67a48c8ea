# shellcheck shell=bash
# A small, bounded background load on loopback with Debian's `hey` (scripts/lib/local-env.sh installs it):
#   load_start URL     # 2 workers x LOAD_RATE requests/s each (default 5), at most LOAD_MAX_SECONDS (default 300)
#   load_stop          # stops it (SIGINT: hey finishes and prints its summary) and prints one line of counts
# One load at a time per shell.
_load_pid=""
_load_out=""

load_start() {
  case "$1" in
    http://127.0.0.1:* | http://localhost:*) ;;
    *) echo "load_start: $1 is not a loopback URL; the load only ever targets this machine" >&2; return 2 ;;
  esac
  _load_out="$(mktemp)"
  hey -z "${LOAD_MAX_SECONDS:-300}s" -c 2 -q "${LOAD_RATE:-5}" -t 60 "$1" >"$_load_out" 2>&1 &
  _load_pid=$!
}

# Prints e.g. "load: 212 requests, 212 answered 200, 0 failed" and, when some failed, hey's reasons.
load_stop() {
  [[ -n "$_load_pid" ]] || return 0
  kill -INT "$_load_pid" 2>/dev/null || true
  wait "$_load_pid" || true
  local ok failed
  ok="$(sed -n 's/^ *\[200\][[:space:]]*\([0-9]*\) responses.*/\1/p' "$_load_out")"
  failed="$(awk '/^Status code distribution:/ {s=1; next} /^Error distribution:/ {s=2; next}
    s==1 && /\[[0-9]+\]/ && !/\[200\]/ {n += $2} s==2 && /\[[0-9]+\]/ {gsub(/[][]/, "", $1); n += $1}
    END {print n + 0}' "$_load_out")"
  echo "load: $(( ${ok:-0} + failed )) requests, ${ok:-0} answered 200, $failed failed"
  if [[ "$failed" -gt 0 ]]; then
    sed -n '/^Status code distribution:/,$p' "$_load_out" | sed 's/^/  /'
  fi
  rm -f "$_load_out"
  _load_pid=""
}
