import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Option } from 'commander';
import { COMPONENT_IDS, type ComponentId } from '../customers/schema';
import { writeFileAtomically, WriteRefusedError } from '../files/atomic-write';
import { runImport } from '../upgrades/catalog/import/run';
import { HISTORY_FROM } from '../upgrades/catalog/seed/curated';
import { parseDate, showPath, UsageError, type FleetCommand } from './command';
import { EXIT } from './exit-codes';
import { catalogOption, forceOption, jsonOption, outFileOption, repeatable } from './options';
import { writeOutput } from './output';

/** The path a write would land on: links followed, also for a file not made yet. */
function realTarget(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(realTarget(parent), basename(path));
  }
}

/** --out never replaces a file the import reads (`--changelog X --out X` would lose the changelog). */
function refuseOutOverInput(ctx: { cwd: string }, out: string | undefined, inputs: readonly { option: string; file: string }[]): void {
  if (out === undefined || out === '-') return;
  const target = realTarget(resolve(ctx.cwd, out));
  const hit = inputs.find((i) => realTarget(i.file) === target);
  if (hit) throw new WriteRefusedError(`--out ${showPath(ctx.cwd, resolve(ctx.cwd, out))} is the ${hit.option} input ${showPath(ctx.cwd, hit.file)}; write the report to another file`);
}

export const catalogImportCommand: FleetCommand = {
  define: (c) =>
    c
      .addOption(new Option('--component <id>', 'the component the sources describe').choices([...COMPONENT_IDS]).makeOptionMandatory())
      .option('--changelog <file>', "the component's CHANGELOG: Snowplow's `Version X.Y.Z (YYYY-MM-DD)` headings or Keep a Changelog's `## [X.Y.Z] - YYYY-MM-DD`")
      .option('--github-releases <file>', 'a GitHub releases API export (gh api repos/OWNER/REPO/releases --paginate)')
      .addOption(repeatable('--osv <file>', 'an OSV advisory JSON file (repeatable)'))
      .addOption(repeatable('--package <name>', "an OSV package name that is this component itself, e.g. com.snowplowanalytics:snowplow-s3-loader (repeatable)"))
      .option('--since <YYYY-MM-DD>', `the first release day to import (default: ${HISTORY_FROM}, where the catalog's history starts)`)
      .addOption(catalogOption())
      .option('--write', 'apply the proposal to the catalog file (atomically); without it nothing is written')
      .addOption(jsonOption())
      .addOption(outFileOption())
      .addOption(forceOption()),
  run(ctx) {
    const o = ctx.options;
    const component = o.component as ComponentId;
    const changelog = o.changelog as string | undefined;
    const releases = o.githubReleases as string | undefined;
    if ((changelog === undefined) === (releases === undefined)) throw new UsageError('give exactly one of --changelog FILE and --github-releases FILE');
    const since = (o.since as string | undefined) ?? HISTORY_FROM;
    parseDate(since, '--since');

    const source = changelog !== undefined ? { kind: 'changelog' as const, file: resolve(ctx.cwd, changelog) } : { kind: 'github-releases' as const, file: resolve(ctx.cwd, releases!) };
    const osvFiles = ((o.osv as string[] | undefined) ?? []).map((f) => resolve(ctx.cwd, f));
    refuseOutOverInput(ctx, o.out as string | undefined, [{ option: `--${source.kind}`, file: source.file }, ...osvFiles.map((file) => ({ option: '--osv', file }))]);
    const result = runImport({
      component,
      catalogDir: resolve(ctx.cwd, (o.catalog as string | undefined) ?? 'upgrades/catalog'),
      source,
      osvFiles,
      ownPackages: (o.package as string[] | undefined) ?? [],
      since,
      cwd: ctx.cwd,
    });
    if (result.problems.length > 0) {
      for (const p of result.problems) ctx.err(p);
      ctx.err(`${result.problems.length} problem(s); nothing was changed.`);
      return EXIT.input;
    }
    const p = result.proposal!;
    if (o.json) {
      writeOutput(ctx, JSON.stringify({ component, ...p, skipped: result.skipped, diff: result.diff }, null, 2));
    } else {
      const lines = [
        `${component}: ${p.added.length} new release(s), ${p.advisoriesAdded.length} advisory addition(s), ${p.severityChanges.length} severity change(s), ${p.conflicts.length} conflict(s), ${p.unclassified.length} unclassified entr(ies), ${p.unmatched.length} unmatched advisor(ies), ${result.skipped.length} skipped heading(s), ${p.tooOld.length} release(s) before ${since} left out`,
        ...p.added.map((r) => `  + ${r.version} (${r.date}) ${r.kinds.join(', ')}${r.severity ? `, ${r.severity} (${r.severityBasis})` : ''}`),
        ...p.advisoriesAdded.map((a) => `  + ${a.version} fixes ${a.advisory}${a.severity ? ` (rated ${a.severity}: ${a.severitySource})` : ' (unrated)'}${a.inferred ? ' (inferred from a dependency bump)' : ''}`),
        ...p.severityChanges.map((c) => `  ~ ${c.version} severity ${c.from} -> ${c.to} (derived: ${c.basis})`),
        ...p.conflicts.map((c) => `  ! ${c.text}`),
        ...p.unclassified.map((u) => `  ? ${u.version}: ${u.text}`),
        ...capped(p.unmatched.map((u) => `  ? ${u.advisory} (${u.file}) matches no release: ${u.reason}`), 'unmatched advisories'),
        ...result.skipped.map((s) => `  - skipped ${s.where}: ${s.problem}`),
        ...(result.diff ? [result.diff.trimEnd()] : []),
      ];
      writeOutput(ctx, lines.join('\n'));
    }
    if (o.write && result.after !== result.before) {
      writeFileAtomically(result.catalogFile, result.after);
      ctx.err(`wrote ${p.added.length} new release(s) and ${p.advisoriesAdded.length} advisory addition(s) into ${showPath(ctx.cwd, result.catalogFile)}; review the diff before committing`);
    }
    return EXIT.ok;
  },
};

/** The first lines of a long list, and how many more there are (a 10,000-range OSV file would bury the rest of the report). */
const SHOWN_LINES = 50;
function capped(lines: readonly string[], what: string): string[] {
  if (lines.length <= SHOWN_LINES) return [...lines];
  return [...lines.slice(0, SHOWN_LINES), `  ... and ${lines.length - SHOWN_LINES} more ${what} (--json lists them all)`];
}
