#!/usr/bin/env bash
# Lists, as Markdown lines, the rollout waves that need someone: halted by the gate, applied but
# not recorded as deployed, or past their bake without a gate's verdict, for longer than the
# margin `fleet rollout status` allows (ATTENTION_MARGIN_DAYS in upgrades/rollout/status.ts).
# The rules live there, once; this only formats its `attention` list.
#
#   NOW  the day to judge at, ISO 8601 (default: the current time); only its date is used
#
# Prints nothing when no wave needs attention.
set -euo pipefail

if [ ! -f rollout/state.json ]; then exit 0; fi
at=()
if [ -n "${NOW:-}" ]; then at=(--at "${NOW%%T*}"); fi
npx fleet rollout status --json "${at[@]}" > "${RUNNER_TEMP:-/tmp}/rollout-status.json"
jq -r '.attention[] | "- \(.)"' "${RUNNER_TEMP:-/tmp}/rollout-status.json"
