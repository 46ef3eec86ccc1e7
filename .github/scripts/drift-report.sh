#!/usr/bin/env bash
# Opens, updates or closes the ONE issue (label fleet-drift) that lists drifted stacks and stale
# rollouts, from the drift jobs' results.
#
#   RESULTS  folder of <stack>.status files ("none", "drift" or "error") and review-*.md files
#   STALE    file of stale-rollout lines (stale-rollouts.sh), possibly empty
#   RUN_URL  link to this run, for the details
set -euo pipefail

results="${RESULTS:?RESULTS names the folder of drift results}"
stale="${STALE:?STALE names the stale-rollouts file}"
label=fleet-drift
title="Drift and stale rollouts"
body="$(mktemp)"

drifted=()
failed=()
total=0
for f in "$results"/*.status; do
  [ -e "$f" ] || continue
  total=$((total + 1))
  s="$(basename "$f" .status)"
  case "$(cat "$f")" in
    drift) drifted+=("$s") ;;
    none) ;;
    *) failed+=("$s") ;;
  esac
done

if [ "${#drifted[@]}" -eq 0 ] && [ "${#failed[@]}" -eq 0 ] && [ ! -s "$stale" ]; then
  open="$(gh issue list --label "$label" --state open --json number --jq '.[0].number // empty')"
  if [ -n "$open" ]; then gh issue close "$open" --comment "No drift in $total stack(s) and no stale rollout on $(date -u +%Y-%m-%d) ($RUN_URL)."; fi
  echo "no drift in $total stack(s), no stale rollout"
  exit 0
fi

{
  echo "Checked $(date -u +%Y-%m-%d) by [the drift workflow]($RUN_URL): $total stack(s)."
  echo
  echo "## Drifted stacks (${#drifted[@]})"
  echo
  echo "The real resources differ from what main deploys: someone changed them outside the repository, or a deploy is pending. Bring the change into the customer file, or deploy main again (Deploy workflow, run manually with the stack ids)."
  echo
  if [ "${#drifted[@]}" -eq 0 ]; then echo "None."; else printf -- '- %s\n' "${drifted[@]}"; fi
  if [ "${#failed[@]}" -gt 0 ]; then
    echo
    echo "## Stacks that could not be planned (${#failed[@]})"
    echo
    printf -- '- %s\n' "${failed[@]}"
  fi
  echo
  echo "## Stale rollouts"
  echo
  if [ -s "$stale" ]; then cat "$stale"; else echo "None."; fi
  if ls "$results"/review-*.md >/dev/null 2>&1; then
    echo
    echo "<details><summary>Reviews of the drifted plans</summary>"
    echo
    cat "$results"/review-*.md
    echo
    echo "</details>"
  fi
} > "$body"
# An issue body holds at most 65,536 characters.
if [ "$(wc -c < "$body")" -gt 60000 ]; then
  head -c 60000 "$body" > "$body.short"
  printf '\n\n_Cut at 60,000 characters: see the run for everything._\n' >> "$body.short"
  mv "$body.short" "$body"
fi

gh label create "$label" --description "Drifted stacks and stale rollouts (drift workflow)" --color D93F0B --force > /dev/null
open="$(gh issue list --label "$label" --state open --json number --jq '.[0].number // empty')"
if [ -n "$open" ]; then
  gh issue edit "$open" --title "$title" --body-file "$body"
  echo "updated issue #$open"
else
  gh issue create --title "$title" --label "$label" --body-file "$body"
fi
