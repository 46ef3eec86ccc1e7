#!/usr/bin/env bash
# Plans every AWS example stack with real provider schemas, offline, where a local provider
# mirror exists (run by hand, not from the suite: the suite may not assume the mirror):
#
#   test/constructs/aws/plan-offline.sh [PLUGIN_DIR]     # default /opt/tf-plugins
#
# The mirror holds hashicorp/aws 5.x while the stacks pin 6.x, so each stack is planned with the
# mirror's version, without its S3 backend and deploy-role assumption, and with fake credentials
# and the provider's skip flags: nothing calls AWS. What it proves: every resource, argument and
# expression the constructs synthesize is accepted by the provider's schema and plan-time checks
# (e.g. a FIFO queue name, listener actions, IAM JSON). It exits non-zero on the first failure.
# Extra scenarios beyond the example files: globex-games-dev after its certificate's DNS record
# exists (phase 2), and nordic-news-prod with an Iglu Server next to the RDB loader.
set -euo pipefail

plugins="${1:-/opt/tf-plugins}"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
[ -d "$plugins/registry.terraform.io/hashicorp/aws" ] || { echo "no hashicorp/aws provider under $plugins" >&2; exit 2; }
version="$(ls "$plugins/registry.terraform.io/hashicorp/aws" | sort -V | tail -1)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null TF_IN_AUTOMATION=1 AWS_EC2_METADATA_DISABLED=true
export AWS_ACCESS_KEY_ID=AKIAOFFLINEPLAN00000 AWS_SECRET_ACCESS_KEY=offline-plan-not-a-credential

(cd "$repo" && npm run --silent build)
(cd "$repo" && WORK="$work" PROVIDER_VERSION="$version" node -e '
const fs = require("fs");
const { Testing } = require("cdktf");
const { customerSchema } = require("./dist/customers/schema");
const { PipelineStack } = require("./dist/stacks/pipeline-stack");
const read = (f) => JSON.parse(fs.readFileSync(`customers/${f}.json`, "utf8"));
const scenarios = {};
for (const f of fs.readdirSync("customers").filter((f) => f.endsWith(".json") && f !== "customer.schema.json")) {
  const raw = read(f.replace(".json", ""));
  if (raw.cloud === "aws") scenarios[f.replace(".json", "")] = raw;
}
const phase2 = read("globex-games-dev"); phase2.collector.ssl.validationRecordCreated = true; scenarios["globex-games-dev-validated"] = phase2;
const rdbIglu = read("nordic-news-prod"); rdbIglu.components["iglu-server"] = { version: "0.14.0", sizing: { instanceType: "t3.small", minSize: 1, maxSize: 1 } }; scenarios["nordic-news-prod-iglu"] = rdbIglu;
for (const [name, raw] of Object.entries(scenarios)) {
  const spec = customerSchema.parse(raw);
  const json = JSON.parse(Testing.synth(new PipelineStack(Testing.app(), { spec, now: new Date("2026-11-27T00:00:00Z") })));
  delete json.terraform.backend;
  json.terraform.required_providers.aws.version = process.env.PROVIDER_VERSION;
  for (const p of json.provider.aws) {
    delete p.assume_role; delete p.allowed_account_ids;
    Object.assign(p, { skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: true, skip_region_validation: true });
  }
  fs.mkdirSync(`${process.env.WORK}/${name}`);
  fs.writeFileSync(`${process.env.WORK}/${name}/main.tf.json`, JSON.stringify(json));
}
')

for dir in "$work"/*/; do
  name="$(basename "$dir")"
  (cd "$dir" && terraform init -input=false -no-color -plugin-dir="$plugins" >init.log 2>&1) || { cat "$dir/init.log" >&2; exit 1; }
  if ! (cd "$dir" && terraform plan -input=false -no-color -lock=false >plan.log 2>&1); then
    echo "FAIL $name" >&2; grep -A12 'Error' "$dir/plan.log" >&2; exit 1
  fi
  echo "ok   $name: $(grep -o 'Plan: .*' "$dir/plan.log") (hashicorp/aws $version)"
done
