#!/usr/bin/env bash
# Lists, as Markdown lines, the rollout waves that have stalled: halted by the gate, applied but
# not deployed within their bake plus a margin (a failed or forgotten deploy), or deployed and
# past their bake plus a margin without a healthy verdict (metrics never arrived).
#
#   STALE_MARGIN_DAYS  days of grace past the bake (default 2)
#   NOW                the instant to judge at, ISO 8601 (default: the current time)
#
# Prints nothing when no wave is stale. Reads the rollout through `fleet rollout status --json`.
set -euo pipefail

margin="${STALE_MARGIN_DAYS:-2}"
now="${NOW:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}"
if [ ! -f rollout/state.json ]; then exit 0; fi
npx fleet rollout status --json > "${RUNNER_TEMP:-/tmp}/rollout-status.json"
jq -r --arg now "$now" --argjson margin "$margin" '
  def t: sub("\\.[0-9]+Z$"; "Z") | fromdateiso8601;
  def day: (. | split("T")[0]);
  ($now | t) as $n
  | .waves[]
  | if .status == "halted" then
      "- wave \(.number) (\(.name)) is halted by the health gate: \(.health); the next wave waits"
    elif .status == "in-progress" and .appliedAt != null and ((.appliedAt | t) + (.bakeDays + $margin) * 86400) < $n then
      "- wave \(.number) (\(.name)) was applied on \(.appliedAt | day) and is still not deployed (stacks: \(.stacks | join(", "))): look for a failed or unapproved Deploy run"
    elif .status == "deployed" and .bakeEnds != null and ((.bakeEnds | t) + $margin * 86400) < $n and (.health | startswith("healthy (") | not) then
      "- wave \(.number) (\(.name)) finished baking on \(.bakeEnds | day) but has no healthy verdict (\(.health)): send its metrics to the gate"
    else empty end' "${RUNNER_TEMP:-/tmp}/rollout-status.json"
