/** One `fleet upgrades stage` run in a fresh process, for the benchmark; reports peak RSS as JSON. */
import { main } from '../cli/fleet';

const [customersDir, outDir] = process.argv.slice(2);
const lines: string[] = [];
main(['upgrades', 'stage', '--customers', customersDir, '--out', outDir, '--at', '2026-11-27'], {
  out: (l) => lines.push(l),
  err: (l) => process.stderr.write(`${l}\n`),
}).then((code) => {
  const stacks = lines.filter((l) => /^ {2}\S+: /.test(l)).length;
  process.stdout.write(JSON.stringify({ code, stacks, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
});
