/**
 * The README's table of app contracts (component x version range x cloud), generated from the
 * registry so the two cannot drift (a test compares it with README.md).
 */
import type { Cloud } from './contract';
import { CONTRACTS, appOf } from './registry';

export function contractTable(): string {
  const rows = [
    '| component (app) | versions | cloud | image | arguments | license | secrets (variable) | health |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const c of CONTRACTS) {
    const app = appOf(c) === c.component ? c.component : `${c.component} (${appOf(c)})`;
    const secrets = Object.entries(c.secrets).map(([name, s]) => `${name} (${s.variable}${s.required ? ', required' : ''})`).join(', ') || '—';
    const health = c.health ? `:${c.health.port}${c.health.path}` : '—';
    for (const cloud of ['aws', 'gcp'] as Cloud[]) {
      const images = c.images[cloud];
      if (images === undefined) continue;
      rows.push(`| ${app} | ${c.label} \`${c.range}\` | ${cloud} | ${images.map((i) => `\`${i}\``).join(', ')} | \`${c.argsSummary}\` | ${c.license} | ${secrets} | ${health} |`);
    }
  }
  return rows.join('\n');
}
