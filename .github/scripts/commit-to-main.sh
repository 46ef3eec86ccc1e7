#!/usr/bin/env bash
# Runs a command that updates the rollout state on the newest main and pushes the result. When another
# writer pushed first, it starts again from the new main and runs the command again, so no
# writer's update is lost; this is why the writers share no concurrency group, which GitHub would
# let cancel a pending writer.
#
#   commit-to-main.sh MESSAGE "OK_CODES" -- COMMAND [ARGS...]
#
# OK_CODES: the command's exit codes after which its changes are committed (e.g. "0 2" for the
# gate, whose 2 records a halted wave). The script exits with the command's code. Only the state
# files are committed (STATE_FILES, default rollout/state.json rollout/deployments.json), never
# a lock or journal the command leaves behind.
set -euo pipefail

message="$1"
ok_codes="$2"
shift 2
if [ "${1:-}" = -- ]; then shift; fi
attempts="${COMMIT_ATTEMPTS:-8}"
read -r -a files <<< "${STATE_FILES:-rollout/state.json rollout/deployments.json}"

git config user.name "github-actions[bot]"
git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
for attempt in $(seq 1 "$attempts"); do
  git fetch --quiet origin main
  git reset --quiet --hard origin/main
  set +e
  "$@"
  code=$?
  set -e
  case " $ok_codes " in
    *" $code "*) ;;
    *) exit "$code" ;;
  esac
  present=()
  for f in "${files[@]}"; do if [ -e "$f" ]; then present+=("$f"); fi; done
  if [ "${#present[@]}" -eq 0 ] || [ -z "$(git status --porcelain -- "${present[@]}")" ]; then
    echo "nothing to commit: ${files[*]} unchanged"
    exit "$code"
  fi
  git add -- "${present[@]}"
  git commit --quiet -m "$message"
  if git push --quiet origin HEAD:main; then exit "$code"; fi
  echo "main moved while recording (attempt $attempt of $attempts): starting again from the new main"
  sleep "$((attempt * ${RETRY_SLEEP_SECONDS:-2}))"
done
echo "::error::could not push ${files[*]} to main after $attempts attempts"
exit 1
