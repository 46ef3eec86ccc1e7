import { basename, resolve } from 'node:path';
import { readExpectations, type Expectations } from '../upgrades/review/expected';
import { HOW_TO_PRODUCE, readPlanFile } from '../upgrades/review/plan-json';
import { renderMarkdown, renderText } from '../upgrades/review/render';
import { resolveStack } from '../upgrades/review/identity';
import { failed, reviewPlan, type ReviewOptions, type StackReview } from '../upgrades/review/review';
import { showPath, UsageError, type FleetCommand } from './command';
import { EXIT } from './exit-codes';
import { forceOption, jsonOption } from './options';
import { writeOutputFiles } from './output';

function expectedFor(expectations: Expectations, expectFile: string, stack: string, wave: number | undefined): NonNullable<ReviewOptions['expected']> {
  const staged = expectations.get(stack) ?? [];
  const label = basename(expectFile);
  if (wave !== undefined) {
    const entry = staged.find((s) => s.wave === wave);
    return entry
      ? { changeSet: entry.changeSet, label: `${label} wave ${wave}`, missing: '' }
      : { label: `${label} wave ${wave}`, missing: `${label} stages no change for ${stack} in wave ${wave}` };
  }
  if (staged.length === 0) return { label, missing: `${label} stages no change for ${stack}` };
  // A stack staged in several waves is reviewed against its first: that is the one the deployed state precedes.
  const more = staged.length > 1 ? ` (first of ${staged.length} waves for this stack; pass --wave to choose)` : '';
  return { changeSet: staged[0].changeSet, label: `${label} wave ${staged[0].wave}${more}`, missing: '' };
}

export const reviewCommand: FleetCommand = {
  define: (c) =>
    c
      .argument('[plans...]', 'plan JSON files (terraform show -json PLANFILE > <stack>.plan.json)')
      .option('--expect <file>', 'the staged plan (DIR/plan.json of `fleet upgrades stage --out DIR`) to compare with')
      .option('--wave <n>', 'compare with this wave of the staged plan (default: the first that stages the stack)')
      .option('--stack <id>', 'the stack a single plan is of; it must agree with the plan (default: from the plan)')
      .option('--md <file>', 'also write the review as Markdown into FILE')
      .addOption(forceOption())
      .addOption(jsonOption()),
  run(ctx) {
    const { options } = ctx;
    const positionals = ctx.args;
    if (positionals.length === 0) throw new UsageError('give at least one plan JSON file (terraform show -json PLANFILE > FILE)');
    const stackOption = options.stack as string | undefined;
    if (stackOption !== undefined && positionals.length > 1) throw new UsageError('--stack names the stack of a single plan; with several files, name each <stack>.plan.json');
    const expectFile = options.expect === undefined ? undefined : resolve(ctx.cwd, options.expect as string);
    let wave: number | undefined;
    if (options.wave !== undefined) {
      if (!expectFile) throw new UsageError('--wave chooses a wave of the staged plan given with --expect');
      if (!/^[1-9]\d*$/.test(options.wave as string)) throw new UsageError(`--wave expects a wave number (1, 2, ...), got ${JSON.stringify(options.wave)}`);
      wave = Number(options.wave);
    }

    let expectations: Expectations | undefined;
    if (expectFile) {
      const read = readExpectations(expectFile);
      if (!read.ok) {
        ctx.err(`fleet review: ${showPath(ctx.cwd, expectFile)}: ${read.problem}`);
        return EXIT.input;
      }
      expectations = read.expectations;
    }

    const reviews: StackReview[] = [];
    const unreadable: { file: string; problem: string }[] = [];
    const seen = new Map<string, string>();
    for (const arg of positionals) {
      const file = resolve(ctx.cwd, arg);
      const read = readPlanFile(file);
      if (!read.ok) {
        unreadable.push({ file, problem: read.problem });
        ctx.err(`fleet review: ${arg}: ${read.problem}; ${HOW_TO_PRODUCE}`);
        continue;
      }
      // The plan's own identity decides; the file name and --stack must agree with it.
      const resolved = resolveStack(file, read.plan, { stackOption, comparing: expectations !== undefined });
      if (!resolved.ok) {
        unreadable.push({ file, problem: resolved.problem });
        ctx.err(`fleet review: ${arg}: ${resolved.problem}`);
        continue;
      }
      const { stack, source: stackSource } = resolved;
      const other = seen.get(stack);
      if (other !== undefined) {
        const problem = `it is a second plan of stack ${stack} (${basename(other)} is the first); review one plan per stack`;
        unreadable.push({ file, problem });
        ctx.err(`fleet review: ${arg}: ${problem}`);
        continue;
      }
      seen.set(stack, file);
      const expected = expectations && expectFile ? expectedFor(expectations, expectFile, stack, wave) : undefined;
      reviews.push(reviewPlan(read.plan, { file, stack, stackSource, ...(expected ? { expected } : {}) }));
    }

    // An input that could not be reviewed outranks findings: the review is incomplete.
    const code = unreadable.length > 0 ? EXIT.input : reviews.some(failed) ? EXIT.gate : EXIT.ok;
    if (options.json) {
      const show = (file: string) => showPath(ctx.cwd, file);
      const verdict = code === EXIT.input ? 'incomplete' : code === EXIT.gate ? 'blocking' : 'pass';
      ctx.out(JSON.stringify({ verdict, exitCode: code, reviews: reviews.map((r) => ({ ...r, file: show(r.file) })), unreadable: unreadable.map((u) => ({ ...u, file: show(u.file) })) }, null, 2));
    } else {
      for (const line of renderText(reviews, unreadable.length)) ctx.out(line);
    }
    if (options.md !== undefined) {
      const mdFile = resolve(ctx.cwd, options.md as string);
      writeOutputFiles(ctx, [{ file: options.md as string, option: '--md', text: renderMarkdown(reviews, unreadable) }]);
      (options.json ? ctx.err : ctx.out)(`wrote ${showPath(ctx.cwd, mdFile)}`);
    }
    return code;
  },
};
