import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { renderJson } from '../upgrades/report/json';
import { renderMarkdown } from '../upgrades/report/markdown';
import { renderTable } from '../upgrades/report/table';
import { parseOptions, type Command } from './command';
import { planFromOptions } from './planning-inputs';

/**
 * Writes every file or none: each goes to a temporary file beside its target first, and only
 * when all are written are they renamed into place (a rename within a folder is atomic).
 */
export function writeFilesAtomically(files: readonly { path: string; text: string }[]): void {
  const temps: { temp: string; path: string }[] = [];
  try {
    for (const f of files) {
      const temp = join(dirname(f.path), `.${basename(f.path)}.${process.pid}.tmp`);
      temps.push({ temp, path: f.path });
      writeFileSync(temp, f.text);
    }
  } catch (e) {
    for (const t of temps) rmSync(t.temp, { force: true });
    throw e;
  }
  for (const t of temps) renameSync(t.temp, t.path);
}

export const upgradesPlanCommand: Command = {
  name: 'upgrades plan',
  usage: 'upgrades plan [--customers DIR] [--at YYYY-MM-DD] [--json FILE] [--md FILE] [--catalog DIR] [--policy FILE]',
  summary: 'Plan component upgrades for the fleet: ranked, in waves, with a reason for every decision.',
  run(ctx) {
    const { options } = parseOptions(ctx.args, { customers: 'string', at: 'string', json: 'string', md: 'string', catalog: 'string', policy: 'string' });
    const inputs = planFromOptions(ctx, options);
    if (!inputs) return 1;
    const { plan } = inputs;
    const path = (name: string) => resolve(ctx.cwd, options[name] as string);
    const files: { path: string; text: string }[] = [];
    if (options.json !== undefined) files.push({ path: path('json'), text: renderJson(plan) });
    if (options.md !== undefined) files.push({ path: path('md'), text: renderMarkdown(plan) });
    try {
      writeFilesAtomically(files);
    } catch (e) {
      ctx.err(`fleet upgrades plan: could not write ${files.map((f) => f.path).join(' and ')}: ${(e as Error).message}; nothing was written.`);
      return 1;
    }
    for (const line of renderTable(plan)) ctx.out(line);
    for (const f of files) ctx.out(`wrote ${f.path}`);
    return 0;
  },
};
