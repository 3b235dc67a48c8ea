#!/usr/bin/env bash
# Brings up the local environment (podman API or Docker, PostgreSQL, Redis, registry, JRE base image).
# Arguments: databases to create; default: hello_staging hello_production slipway_state.
# Safe to run again: it only starts or creates what is missing. See scripts/lib/local-env.sh.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/local-env.sh"
if [ "$#" -eq 0 ]; then
    set -- hello_staging hello_production slipway_state
fi
slipway_env_up "$@"
