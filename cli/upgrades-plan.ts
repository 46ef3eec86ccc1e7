import { renderJson, renderJsonParts } from '../upgrades/report/json';
import { renderMarkdown } from '../upgrades/report/markdown';
import { renderTable } from '../upgrades/report/table';
import { showPath, type FleetCommand } from './command';
import { EXIT } from './exit-codes';
import { forceOption, jsonOption, outFileOption } from './options';
import { writeOutputFiles, type OutputFile } from './output';
import { definePlanningOptions, planFromOptions } from './planning-inputs';

export const upgradesPlanCommand: FleetCommand = {
  define: (c) =>
    definePlanningOptions(c)
      .addOption(jsonOption())
      .addOption(outFileOption())
      .option('--md <file>', 'also write the plan as Markdown (for a pull request) into FILE')
      .addOption(forceOption()),
  run(ctx) {
    const { options } = ctx;
    const inputs = planFromOptions(ctx);
    if (!inputs) return EXIT.input;
    const { plan } = inputs;
    const out = options.out as string | undefined;
    const toStdout = out === undefined || out === '-';
    const render = () => (options.json ? renderJson(plan) : `${renderTable(plan).join('\n')}\n`);
    const files: OutputFile[] = [];
    // Into a file, the JSON goes in pieces: a fleet's plan is never one 78 MB string.
    if (!toStdout) files.push({ file: out, option: '--out', text: options.json ? renderJsonParts(plan) : render() });
    if (options.md !== undefined) files.push({ file: options.md as string, option: '--md', text: renderMarkdown(plan) });
    // Both files or neither: a reader never sees a plan.json without its plan.md.
    const written = writeOutputFiles(ctx, files);
    if (toStdout) ctx.out(render().replace(/\n$/, ''));
    // Notes never mix into JSON on stdout.
    const note = options.json && toStdout ? ctx.err : ctx.out;
    for (const path of written) note(`wrote ${showPath(ctx.cwd, path)}`);
    return EXIT.ok;
  },
};
