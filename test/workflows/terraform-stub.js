#!/usr/bin/env node
/**
 * Stands in for terraform in the workflow tests, where no provider can be downloaded. It plays a
 * cloud whose resources are exactly what was deployed: a plan changes what the code changed (the
 * prediction beside it in plans/predicted.json), plus any drift the test injects, and carries the
 * stack's identity the way real plan JSON does (provider default tags / labels, the assume-role
 * session name). Every call is logged to $STUB_LOG as one line.
 *
 *   STUB_DRIFT       "<stack>=<address>": that resource changed outside the repository
 *   STUB_FAIL_APPLY  a stack whose apply fails
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const chdir = (args.find((a) => a.startsWith('-chdir=')) ?? '-chdir=.').slice('-chdir='.length).replace(/^"|"$/g, '');
const rest = args.filter((a) => !a.startsWith('-chdir='));
const command = rest[0];
const stack = path.basename(path.resolve(chdir));
const log = (line) => fs.appendFileSync(process.env.STUB_LOG, `${line}\n`);
log(`${command} ${stack} ${rest.slice(1).join(' ')}`.trim());

function valueAt(paths, marker) {
  const root = {};
  for (const p of paths) {
    const parts = p.split('.');
    let at = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) at[part] = `${marker}`;
      else at = at[part] ??= {};
    });
  }
  return root;
}

function planJson() {
  const predicted = JSON.parse(fs.readFileSync(path.join('plans', 'predicted.json'), 'utf8'));
  const entry = predicted.waves.flatMap((w) => w.stacks).find((s) => s.stack === stack);
  const config = JSON.parse(fs.readFileSync(path.join(chdir, 'cdk.tf.json'), 'utf8'));
  const actionsOf = { create: ['create'], update: ['update'], delete: ['delete'], replace: ['delete', 'create'] };
  const changes = (entry?.changeSet.changes ?? []).map((c) => ({
    address: c.address,
    type: c.type,
    change: { actions: actionsOf[c.action], before: c.action === 'create' ? null : valueAt(c.paths, 'old'), after: c.action === 'delete' ? null : valueAt(c.paths, 'new') },
  }));
  const [drifted, address] = (process.env.STUB_DRIFT ?? '').split('=');
  if (drifted === stack) changes.push({ address, type: address.split('.')[0], change: { actions: ['update'], before: { description: 'changed by hand' }, after: { description: 'from the repository' } } });
  const aws = config.provider?.aws?.[0];
  const google = config.provider?.google?.[0];
  const provider_config = {};
  if (aws) provider_config.aws = { name: 'aws', expressions: { default_tags: [{ tags: { constant_value: aws.default_tags[0].tags } }], assume_role: [{ session_name: { constant_value: aws.assume_role[0].session_name } }] } };
  if (google) provider_config.google = { name: 'google', expressions: { default_labels: { constant_value: google.default_labels } } };
  return { format_version: '1.2', terraform_version: '1.11.4', planned_values: { root_module: {} }, resource_changes: changes, configuration: { provider_config }, complete: true, errored: false };
}

switch (command) {
  case 'init':
    break;
  case 'plan': {
    const out = rest.find((a) => a.startsWith('-out='));
    if (!out) { console.error('stub: plan without -out'); process.exit(1); }
    fs.writeFileSync(path.join(chdir, out.slice('-out='.length)), `saved plan of ${stack}\n`);
    if (rest.includes('-detailed-exitcode')) {
      const changed = planJson().resource_changes.length > 0;
      process.exit(changed ? 2 : 0);
    }
    break;
  }
  case 'show': {
    if (rest[1] !== '-json' || !fs.existsSync(path.join(chdir, rest[2]))) { console.error('stub: show -json PLANFILE only'); process.exit(1); }
    process.stdout.write(`${JSON.stringify(planJson())}\n`);
    break;
  }
  case 'apply': {
    const planFile = rest[rest.length - 1];
    if (!fs.existsSync(path.join(chdir, planFile)) || !fs.readFileSync(path.join(chdir, planFile), 'utf8').startsWith('saved plan of')) {
      console.error(`stub: apply needs a saved plan file, got ${planFile}`);
      process.exit(1);
    }
    if (process.env.STUB_FAIL_APPLY === stack) { console.error(`stub: apply of ${stack} failed`); process.exit(1); }
    log(`applied ${stack}`);
    break;
  }
  default:
    console.error(`stub: terraform ${command} is not expected in these workflows`);
    process.exit(1);
}
