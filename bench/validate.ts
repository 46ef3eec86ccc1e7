/**
 * Validation benchmark: one customer file of about 1 MB, read the way `fleet validate` reads it
 * (strict JSON, secret scan with the project's patterns and secretlint, schema). Two shapes: many
 * small values (10,000 freezes) and one huge string, which a quadratic pattern would make take
 * minutes. Target: under 1 s each, i.e. linear. Runnable alone: `node dist/bench/validate.js`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateCustomerTexts } from '../customers/load';

const NOW = new Date('2026-11-27T00:00:00Z');
const FILE = 'acme-retail-prod.json';
const MB = 1024 * 1024;

function example(): Record<string, any> {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'customers', FILE), 'utf8')) as Record<string, any>;
}

/** Wall and CPU time: on a busy machine the wall clock includes other processes' turns. */
function time(text: string): { ms: number; cpuMs: number; issues: number } {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const { issues } = validateCustomerTexts([{ file: FILE, text: Buffer.from(text) }], { now: NOW });
  const used = process.cpuUsage(cpu);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: (used.user + used.system) / 1000, issues: issues.length };
}

export function benchValidate(): string[] {
  // The worker that runs secretlint starts once per process; measure it apart.
  const warm = time(JSON.stringify(example(), null, 2));
  const many = example();
  many.freezes = [];
  for (let i = 0; JSON.stringify(many, null, 2).length < MB && i < 20_000; i += 500) {
    for (let j = i; j < i + 500; j++) many.freezes.push({ start: '2027-01-01', end: '2027-01-02', reason: `planned freeze ${j} for the customer's quarterly release train` });
  }
  const manyText = JSON.stringify(many, null, 2);
  const one = example();
  one.name = `Acme ${'retail '.repeat(Math.ceil(MB / 7))}`.slice(0, MB);
  const oneText = JSON.stringify(one, null, 2);
  const a = time(manyText);
  const b = time(oneText);
  const kb = (t: string): string => `${Math.round(Buffer.byteLength(t) / 1024)} KB`;
  return [
    `validate: first file (starts the secretlint worker) ${warm.ms.toFixed(0)} ms`,
    `validate 1 MB customer file, ${many.freezes.length} freezes (${kb(manyText)}): ${a.ms.toFixed(0)} ms wall (${a.cpuMs.toFixed(0)} ms CPU), ${a.issues} issue(s) (target < 1000 ms)`,
    `validate 1 MB customer file, one 1 MB string (${kb(oneText)}): ${b.ms.toFixed(0)} ms wall (${b.cpuMs.toFixed(0)} ms CPU), ${b.issues} issue(s) (target < 1000 ms)`,
  ];
}

if (require.main === module) for (const line of benchValidate()) console.log(line);
