#!/usr/bin/env bash
# The release jar as users download it (the shaded jar shrunk by ProGuard, mvn -P release): its size, its entries, and
# the cold start of `java -jar slipway-VERSION.jar --version` (a new JVM per call, no class-data-sharing archive,
# default JVM flags): wall time, and CPU time (user + sys of the JVM), which a busy machine inflates less. Builds the
# jar with the release profile unless it exists. SLIPWAY_BENCH_JAR=path measures another jar the same way (e.g. the
# unshrunk slipway-cli/target/slipway.jar). Usage: bench/release-jar.sh [calls]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
calls="${1:-20}"
version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -n 1)"
jar="${SLIPWAY_BENCH_JAR:-$root/slipway-cli/target/release/slipway-$version.jar}"
[[ -f "$jar" ]] || (cd "$root" && mvn -B -q -ntp -P release -DskipTests -pl slipway-cli -am package)
bytes="$(stat -c %s "$jar")"
echo "$(basename "$jar"): $bytes bytes ($((bytes / 1000000)) MB), $(unzip -Z1 "$jar" | wc -l) entries"
unzip -Zl "$jar" | awk '$1 ~ /^-/ { split($NF, p, "/"); k = p[1] "/" p[2] "/" p[3]; if (p[1] == "software") k = k "/" p[4] "/" p[5]; c[k] += $6 }
  END { for (k in c) printf "%8.2f MB  %s\n", c[k] / 1e6, k }' | sort -rn | head -n 12
java -jar "$jar" --version >/dev/null
cpu_file="$(mktemp)"
trap 'rm -f "$cpu_file"' EXIT
times=()
cpus=()
for ((i = 0; i < calls; i++)); do
  t0=$(date +%s%N); /usr/bin/time -f '%U %S' -o "$cpu_file" java -jar "$jar" --version >/dev/null; t1=$(date +%s%N)
  times+=($(( (t1 - t0) / 1000000 )))
  cpus+=($(awk '{ printf "%d", ($1 + $2) * 1000 }' "$cpu_file"))
done
summary() {
  sort -n | awk -v what="$1" '{ v[NR] = $1; s += $1 } END { p95 = int(NR * 0.95) + 1; if (p95 > NR) p95 = NR
    printf "java -jar … --version %s: calls %d  mean %d ms  p50 %d ms  p95 %d ms  max %d ms\n", what, NR, s / NR, v[int(NR * 0.5) + 1], v[p95], v[NR] }'
}
printf '%s\n' "${times[@]}" | summary wall
printf '%s\n' "${cpus[@]}" | summary "CPU (user+sys)"
echo "(java: $(java -version 2>&1 | head -n 1); cores: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg))"
