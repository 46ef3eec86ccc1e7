import { resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { COMPONENT_IDS } from '../customers/schema';
import { runImport } from '../upgrades/catalog/import/run';
import { HISTORY_FROM } from '../upgrades/catalog/seed/curated';
import { isRealDate } from '../upgrades/catalog/import/upstream';
import { parseOptions, UsageError, type Command } from './command';


export const catalogImportCommand: Command = {
  name: 'catalog import',
  usage:
    'catalog import --component ID (--changelog FILE | --github-releases FILE) [--osv FILE ...] [--package NAME ...] [--since YYYY-MM-DD] [--catalog DIR] [--write] [--json]',
  summary: "Propose a catalog change from a component's upstream CHANGELOG or GitHub releases export and OSV advisories, as a diff; --write applies it.",
  run(ctx) {
    const { options, positionals } = parseOptions(ctx.args, {
      component: 'string',
      changelog: 'string',
      'github-releases': 'string',
      osv: 'string[]',
      package: 'string[]',
      since: 'string',
      catalog: 'string',
      write: 'boolean',
      json: 'boolean',
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    const component = options.component as string | undefined;
    if (component === undefined || !(COMPONENT_IDS as readonly string[]).includes(component)) {
      throw new UsageError(`--component must be one of ${COMPONENT_IDS.join(', ')}, got ${component === undefined ? 'nothing' : JSON.stringify(component)}`);
    }
    const changelog = options.changelog as string | undefined;
    const releases = options['github-releases'] as string | undefined;
    if ((changelog === undefined) === (releases === undefined)) throw new UsageError('give exactly one of --changelog FILE and --github-releases FILE');
    const since = (options.since as string | undefined) ?? HISTORY_FROM;
    if (!isRealDate(since)) throw new UsageError(`--since expects a real date as YYYY-MM-DD, got ${JSON.stringify(since)}`);

    const result = runImport({
      component,
      catalogDir: resolve(ctx.cwd, (options.catalog as string | undefined) ?? 'upgrades/catalog'),
      source: changelog !== undefined ? { kind: 'changelog', file: resolve(ctx.cwd, changelog) } : { kind: 'github-releases', file: resolve(ctx.cwd, releases!) },
      osvFiles: ((options.osv as string[] | undefined) ?? []).map((f) => resolve(ctx.cwd, f)),
      ownPackages: (options.package as string[] | undefined) ?? [],
      since,
      cwd: ctx.cwd,
    });
    if (result.problems.length > 0) {
      for (const p of result.problems) ctx.err(p);
      ctx.err(`${result.problems.length} problem(s); nothing was changed.`);
      return 1;
    }
    const p = result.proposal!;
    if (options.json) {
      ctx.out(JSON.stringify({ component, ...p, skipped: result.skipped, diff: result.diff }, null, 2));
    } else {
      ctx.out(`${component}: ${p.added.length} new release(s), ${p.advisoriesAdded.length} advisory addition(s), ${p.conflicts.length} conflict(s), ${p.unclassified.length} unclassified entr(ies), ${p.tooOld.length} release(s) before ${since} left out`);
      for (const r of p.added) ctx.out(`  + ${r.version} (${r.date}) ${r.kinds.join(', ')}${r.severity ? `, ${r.severity} (${r.severityBasis})` : ''}`);
      for (const a of p.advisoriesAdded) ctx.out(`  + ${a.version} fixes ${a.advisory}${a.inferred ? ' (inferred from a dependency bump)' : ''}`);
      for (const c of p.conflicts) ctx.out(`  ! ${c.text}`);
      for (const u of p.unclassified) ctx.out(`  ? ${u.version}: ${u.text}`);
      if (result.diff) ctx.out(result.diff.trimEnd());
    }
    if (options.write && result.after !== result.before) {
      writeFileAtomic.sync(result.catalogFile, result.after);
      ctx.err(`wrote ${p.added.length} new release(s) into ${result.catalogFile}; review the diff before committing`);
    }
    return 0;
  },
};
