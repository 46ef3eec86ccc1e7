#!/usr/bin/env bash
# Applies exactly the saved plans plan-stacks.sh made and reviewed (terraform apply PLANFILE:
# nothing is re-planned), and lists the stacks that were applied so the record job marks only those.
#
#   STACKS        space-separated stack ids, in the order they were planned
#   DEPLOYED      file the applied stack ids are appended to, one a line
#   LOCK_TIMEOUT  how long apply waits for a state lock (default 10m)
#
# A failed apply does not stop the other stacks' applies; the script then exits 1.
set -euo pipefail

lock_timeout="${LOCK_TIMEOUT:-10m}"
deployed="${DEPLOYED:?DEPLOYED names the file of applied stacks}"
read -r -a stacks <<< "${STACKS:?STACKS names the stacks to apply}"
mkdir -p "$(dirname "$deployed")"
touch "$deployed"
failed=()
for s in "${stacks[@]}"; do
  if terraform -chdir="cdktf.out/stacks/$s" apply -input=false -lock-timeout="$lock_timeout" plan; then
    echo "$s" >> "$deployed"
  else
    failed+=("$s")
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "::error::apply failed for ${failed[*]}; they stay affected and the next deploy run retries them"
  exit 1
fi
