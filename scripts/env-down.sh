#!/usr/bin/env bash
# Stops what scripts/env-up.sh started; state under SLIPWAY_ENV_DIR is kept for the next env-up.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/local-env.sh"
slipway_env_down
