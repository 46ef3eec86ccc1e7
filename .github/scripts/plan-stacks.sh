#!/usr/bin/env bash
# Plans each of a job's stacks into a saved plan and reviews it against the prediction of the
# code change, so what a reviewer sees is what `terraform apply PLANFILE` later applies.
#
#   STACKS        space-separated stack ids (the matrix entry's "stacks")
#   BASES         JSON object {"<stack>": "<commit>" | null}: the commit each stack's predicted
#                 change starts from. Deploy: the commit last deployed successfully; pull request:
#                 the merge base; drift: HEAD itself (any change is drift). Missing or null: the
#                 stack is new, predicted as created whole.
#   IDENTITY      "plan": plan as the stack's read-only plan identity (the plan-role-arn /
#                 plan-service-account output); "deploy": as the ambient deploy credentials.
#   REVIEW_MD     where the review's Markdown goes (default review.md)
#   LOCK_TIMEOUT  how long plan waits for a state lock held by another run (default 10m)
#   DETAILED_EXITCODE  1: plan with -detailed-exitcode and write plans/<stack>.changes (yes/no)
#
# Leaves cdktf.out/stacks/<stack>/plan (the saved plan), plans/<stack>.plan.json and
# plans/predicted.json. Exit: fleet review's code (0 passed, 2 a protected or unpredicted change,
# 1 a plan could not be read), or 1 when synthesis or terraform fails.
set -euo pipefail

lock_timeout="${LOCK_TIMEOUT:-10m}"
review_md="${REVIEW_MD:-review.md}"
identity="${IDENTITY:?IDENTITY is plan or deploy}"
bases="${BASES:-{\}}"
read -r -a stacks <<< "${STACKS:?STACKS names the stacks to plan}"
[ "${#stacks[@]}" -gt 0 ] || { echo "STACKS is empty: nothing to plan" >&2; exit 1; }
stack_args=()
for s in "${stacks[@]}"; do stack_args+=(--stack "$s"); done

npx fleet synth "${stack_args[@]}"

# The base synthesis: one per distinct base commit. When the commit differs from HEAD only in
# customer files, this checkout's CLI synthesizes the base's customer files; otherwise the base
# commit's own code is built in a worktree (sharing node_modules) and synthesizes them.
code_paths=(constructs stacks cli upgrades bin 'customers/*.ts' package.json package-lock.json cdktf.json 'tsconfig*.json')
base_out="$PWD/.fleet-base/out"
rm -rf .fleet-base
mkdir -p "$base_out/stacks" plans
work="$(mktemp -d "${RUNNER_TEMP:-/tmp}/fleet-base.XXXXXX")"
commits=()
for s in "${stacks[@]}"; do
  c="$(jq -r --arg s "$s" '.[$s] // empty' <<< "$bases")"
  if [ -z "$c" ]; then echo "$s: no base commit: predicted as created whole"; continue; fi
  if ! git cat-file -e "$c:customers/$s.json" 2>/dev/null; then echo "$s: no customer file at ${c:0:12}: predicted as created whole"; continue; fi
  printf '%s %s\n' "$c" "$s" >> "$work/members"
  commits+=("$c")
done
if [ "${#commits[@]}" -gt 0 ]; then
  for c in $(printf '%s\n' "${commits[@]}" | sort -u); do
    members=()
    while read -r commit s; do if [ "$commit" = "$c" ]; then members+=(--stack "$s"); fi; done < "$work/members"
    out="$work/out-$c"
    if git diff --quiet "$c" HEAD -- "${code_paths[@]}"; then
      mkdir -p "$work/customers-$c"
      git archive "$c" customers | tar -x -C "$work/customers-$c"
      npx fleet synth --customers "$work/customers-$c/customers" --out "$out" "${members[@]}"
    else
      echo "code changed since ${c:0:12}: building that commit to synthesize its stacks"
      git worktree add --quiet --detach "$work/tree-$c" "$c"
      ln -s "$PWD/node_modules" "$work/tree-$c/node_modules"
      (cd "$work/tree-$c" && npx tsc -p tsconfig.build.json && node bin/fleet.js synth --out "$out" "${members[@]}")
    fi
    cp -R "$out/stacks/." "$base_out/stacks/"
  done
fi
npx fleet predict --base "$base_out" --head cdktf.out --out plans/predicted.json "${stack_args[@]}"

plan_files=()
for s in "${stacks[@]}"; do
  dir="cdktf.out/stacks/$s"
  if [ "$identity" = plan ]; then
    # Terraform merges *_override.tf.json over the stack: provider and backend assume the stack's
    # read-only plan identity instead of the deploy identity the synthesized stack names.
    cfg="$dir/cdk.tf.json"
    role="$(jq -r '.output["plan-role-arn"].value // empty' "$cfg")"
    account="$(jq -r '.output["plan-service-account"].value // empty' "$cfg")"
    if [ -n "$role" ]; then
      # The session name stays the stack's own (fleet-<stack>): fleet review reads the stack id from it.
      jq --arg role "$role" \
        '{provider: {aws: [{assume_role: [{role_arn: $role, session_name: .provider.aws[0].assume_role[0].session_name}]}]},
          terraform: {backend: {s3: (.terraform.backend.s3 + {assume_role: {role_arn: $role}})}}}' "$cfg" > "$dir/plan_identity_override.tf.json"
    elif [ -n "$account" ]; then
      jq --arg sa "$account" \
        '{provider: {google: [{impersonate_service_account: $sa}]},
          terraform: {backend: {gcs: (.terraform.backend.gcs + {impersonate_service_account: $sa})}}}' "$cfg" > "$dir/plan_identity_override.tf.json"
    else
      echo "::error::$s has no plan identity output (plan-role-arn or plan-service-account); refusing to plan it with other credentials"
      exit 1
    fi
  fi
  terraform -chdir="$dir" init -input=false -lock-timeout="$lock_timeout"
  if [ "${DETAILED_EXITCODE:-0}" = 1 ]; then
    set +e
    terraform -chdir="$dir" plan -input=false -lock-timeout="$lock_timeout" -detailed-exitcode -out=plan
    code=$?
    set -e
    case "$code" in
      0) echo no > "plans/$s.changes" ;;
      2) echo yes > "plans/$s.changes" ;;
      *) echo "::error::terraform plan failed for $s (exit $code)"; exit 1 ;;
    esac
  else
    terraform -chdir="$dir" plan -input=false -lock-timeout="$lock_timeout" -out=plan
  fi
  terraform -chdir="$dir" show -json plan > "plans/$s.plan.json"
  plan_files+=("plans/$s.plan.json")
done

set +e
npx fleet review "${plan_files[@]}" --expect plans/predicted.json --md "$review_md"
code=$?
set -e
exit "$code"
