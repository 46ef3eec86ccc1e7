/**
 * One synth run in a fresh process, for the benchmark: validate and synthesize a customers
 * folder, then report stack count and peak RSS on stdout as JSON. With --barrel it first loads the
 * provider packages through their index, the way `cdktf init` projects import them.
 */
import { formatIssue, loadCustomers } from '../customers/load';
import { synthFleet } from '../stacks/synth-fleet';

const [customersDir, outDir, mode] = process.argv.slice(2);
/** The deliberate slow baseline the benchmark compares against: both providers through their index. */
const NAIVE_BARREL_IMPORTS = ['@cdktf/provider-aws', '@cdktf/provider-google'];
if (mode === '--barrel') for (const pkg of NAIVE_BARREL_IMPORTS) require(pkg);
const now = new Date('2026-11-27T00:00:00Z');
const { customers, issues } = loadCustomers(customersDir, { now });
if (issues.length > 0) {
  process.stderr.write(issues.map(formatIssue).join('\n'));
  process.exit(1);
}
synthFleet(
  customers.map((c) => c.spec),
  { outDir, now },
).then((result) => {
  // Workers run at the same time, so the fleet's peak is at most the sum of every process's peak.
  const own = process.resourceUsage().maxRSS / 1024;
  const workers = result.workerPeakRssMb;
  process.stdout.write(JSON.stringify({ stacks: result.stacks.length, maxRssMb: own + workers.reduce((a, b) => a + b, 0), processes: 1 + workers.length }));
});
