import { resolve } from 'node:path';
import { writeFilesAtomically, type FileToWrite } from '../files/atomic-write';
import { renderJson, renderJsonParts } from '../upgrades/report/json';
import { renderMarkdown } from '../upgrades/report/markdown';
import { renderTable } from '../upgrades/report/table';
import { showPath, type FleetCommand } from './command';
import { EXIT } from './exit-codes';
import { jsonOption, outFileOption } from './options';
import { refuseInputFolder } from './output';
import { definePlanningOptions, planFromOptions } from './planning-inputs';

export const upgradesPlanCommand: FleetCommand = {
  define: (c) =>
    definePlanningOptions(c)
      .addOption(jsonOption())
      .addOption(outFileOption())
      .option('--md <file>', 'also write the plan as Markdown (for a pull request) into FILE'),
  run(ctx) {
    const { options } = ctx;
    const inputs = planFromOptions(ctx);
    if (!inputs) return EXIT.input;
    const { plan } = inputs;
    const out = options.out as string | undefined;
    const toStdout = out === undefined || out === '-';
    const render = () => (options.json ? renderJson(plan) : `${renderTable(plan).join('\n')}\n`);
    const files: FileToWrite[] = [];
    // Into a file, the JSON goes in pieces: a fleet's plan is never one 78 MB string.
    if (!toStdout) files.push({ path: resolve(ctx.cwd, out), text: options.json ? renderJsonParts(plan) : render() });
    if (options.md !== undefined) files.push({ path: resolve(ctx.cwd, options.md as string), text: renderMarkdown(plan) });
    if (!toStdout) refuseInputFolder(ctx, out, '--out');
    if (options.md !== undefined) refuseInputFolder(ctx, options.md as string, '--md');
    // Both files or neither: a reader never sees a plan.json without its plan.md.
    writeFilesAtomically(files);
    if (toStdout) ctx.out(render().replace(/\n$/, ''));
    // Notes never mix into JSON on stdout.
    const note = options.json && toStdout ? ctx.err : ctx.out;
    for (const f of files) note(`wrote ${showPath(ctx.cwd, f.path)}`);
    return EXIT.ok;
  },
};
