/**
 * The cdktf app (cdktf.json "app"): `npx cdktf synth|diff|deploy <stack>` runs this. It validates
 * every customer file first and synthesizes nothing when one is invalid.
 */
import { App } from 'cdktf';
import { formatIssue, loadCustomers } from '../customers/load';
import { markOwned } from '../files/output-folder';
import { clockFromEnv } from './clock';
import { PipelineStack } from './pipeline-stack';
import { sortByStack } from './synth-fleet';

const now = clockFromEnv().now();
const dir = process.env.FLEET_CUSTOMERS ?? 'customers';
const { customers, issues } = loadCustomers(dir, { now });
if (issues.length > 0) {
  for (const issue of issues) process.stderr.write(`${formatIssue(issue)}\n`);
  process.stderr.write(`${issues.length} problem(s) in ${dir}; nothing synthesized.\n`);
  process.exit(1);
}
const app = new App({ skipValidation: true });
for (const spec of sortByStack(customers.map((c) => c.spec))) new PipelineStack(app, { spec, now });
app.synth();
// `fleet synth` may then replace this folder: it is fleet's output, whichever command wrote it.
markOwned(app.outdir);
