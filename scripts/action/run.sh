#!/usr/bin/env bash
# Runs Slipway for action.yml once install.sh put `slipway` on the PATH: `slipway deploy STAGE --commit COMMIT ARGS`
# when a stage is given, `slipway ARGS` when only args are, nothing otherwise. ARGS are split on whitespace and never
# evaluated by a shell. Env: SLIPWAY_STAGE, SLIPWAY_COMMIT, SLIPWAY_ARGS.
set -euo pipefail
read -r -a extra <<<"${SLIPWAY_ARGS:-}" || true
if [[ -n "${SLIPWAY_STAGE:-}" ]]; then
  [[ -n "${SLIPWAY_COMMIT:-}" ]] || { echo "::error title=Slipway::no commit to deploy" >&2; exit 2; }
  exec slipway deploy "$SLIPWAY_STAGE" --commit "$SLIPWAY_COMMIT" ${extra[@]+"${extra[@]}"}
elif ((${#extra[@]})); then
  exec slipway "${extra[@]}"
fi
echo "Slipway installed; no stage or args given, so nothing was run."
