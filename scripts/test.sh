#!/usr/bin/env bash
# The test command: brings up what the tests need (podman API, PostgreSQL, Redis, registry, JRE base image; see
# scripts/lib/local-env.sh), then runs every unit and integration test of the reactor with `mvn verify`, then a
# short round of the chaos suite (bench/chaos).
# Extra arguments go to Maven, e.g. `scripts/test.sh -pl slipway-core`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/lib/local-env.sh"

export SLIPWAY_WITH_TEST_TOOLS=1
slipway_env_up slipway_test
# shellcheck disable=SC1091
. "$SLIPWAY_ENV_DIR/env.sh"
export SLIPWAY_TEST_PG_URL="jdbc:postgresql://127.0.0.1:${SLIPWAY_PG_PORT}/slipway_test"
export SLIPWAY_TEST_PG_USER=postgres

cd "$root"
# Two reactor threads: the local and ecs targets' integration tests (the longest, and independent of each other) run
# side by side while they mostly wait on containers, moto and PostgreSQL. SLIPWAY_TEST_THREADS=1 runs one at a time.
threads="${SLIPWAY_TEST_THREADS:-2}"
# -P release: slipway-cli's package phase also builds the release jar (the shaded jar shrunk by ProGuard, about a minute
# more, two on a busy machine), and VersionIT and ReleaseJarIT run it: its --version and one local deploy through it.
echo "test: mvn -T $threads -P release verify (unit tests, the release jar, then integration tests against the services above)"
mvn -B -ntp -T "$threads" -P release verify "$@"

# A short round of the chaos suite (SLIPWAY_CHAOS_N=0 skips it): every deploy killed or signalled at a random moment
# must converge. bench/chaos/run.sh 30 is the long run whose figures docs/benchmarks.md reports.
chaos_n="${SLIPWAY_CHAOS_N:-1}"
if [[ "$chaos_n" != 0 && $# -eq 0 ]]; then
  echo "test: bench/chaos/run.sh $chaos_n"
  "$root/bench/chaos/run.sh" "$chaos_n"
fi
