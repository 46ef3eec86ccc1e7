/**
 * The import as one call: read the sources, propose, apply to the catalog file's text, and check
 * that the catalog with the change still validates. Pure apart from reading files; writing is
 * the caller's decision.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ComponentId } from '../../../customers/schema';
import { formatIssue, parseJson } from '../../../customers/json-issues';
import { validateCatalogTexts } from '../load';
import { parseChangelog } from './changelog';
import { applyProposal, unifiedDiff } from './edit';
import { parseGithubReleases } from './github-releases';
import { readableIssue } from './json-text';
import { parseOsv, type Advisory } from './osv';
import { propose, type CatalogReleaseJson, type Proposal } from './propose';
import type { SourceProblem } from './upstream';

export interface ImportRequest {
  readonly component: ComponentId;
  readonly catalogDir: string;
  readonly source: { readonly kind: 'changelog' | 'github-releases'; readonly file: string };
  readonly osvFiles: readonly string[];
  readonly ownPackages: readonly string[];
  readonly since: string;
  /** Paths in messages are shown relative to this folder. */
  readonly cwd: string;
}

export interface ImportResult {
  readonly catalogFile: string;
  readonly proposal?: Proposal;
  readonly skipped: readonly SourceProblem[];
  /** Anything that makes the import refuse: bad sources, or a catalog that would not validate. */
  readonly problems: readonly string[];
  readonly before: string;
  readonly after: string;
  readonly diff: string;
}

const READ_ERRORS: Readonly<Record<string, (what: string) => string>> = {
  ENOENT: (what) => `there is no such file (expected ${what}); check the path, or the link it follows`,
  EISDIR: (what) => `it is a folder (expected ${what}, a file); give the path of the file itself`,
  EACCES: (what) => `permission denied (${what}); make the file readable`,
};

function read(file: string, cwd: string, what: string): { text?: string; problem?: string } {
  try {
    return { text: readFileSync(file, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    const why = READ_ERRORS[code]?.(what) ?? `${code || (e as Error).message} (expected ${what})`;
    return { problem: `${relative(cwd, file) || file}: cannot be read: ${why}` };
  }
}

export function runImport(req: ImportRequest): ImportResult {
  const show = (f: string) => relative(req.cwd, f) || f;
  const catalogFile = join(req.catalogDir, `${req.component}.json`);
  const empty = { catalogFile, skipped: [], before: '', after: '', diff: '' };
  const catalog = read(catalogFile, req.cwd, `the catalog file ${req.component}.json`);
  if (catalog.text === undefined) return { ...empty, problems: [`${catalog.problem}; import into a folder that holds the catalog (--catalog DIR)`] };
  const parsedCatalog = parseJson(show(catalogFile), catalog.text);
  if (parsedCatalog.raw === undefined) return { ...empty, problems: parsedCatalog.issues.map((i) => formatIssue(readableIssue(i))) };
  const existing = ((parsedCatalog.raw as { releases?: CatalogReleaseJson[] }).releases ?? []) as CatalogReleaseJson[];

  const problems: string[] = [];
  const sourceText = read(req.source.file, req.cwd, req.source.kind === 'changelog' ? 'a CHANGELOG file' : 'a GitHub releases JSON export');
  if (sourceText.text === undefined) return { ...empty, problems: [sourceText.problem!] };
  const upstream = (req.source.kind === 'changelog' ? parseChangelog : parseGithubReleases)(show(req.source.file), sourceText.text);
  problems.push(...upstream.problems.map((p) => `${p.where}: ${p.problem}`));
  const advisories: Advisory[] = [];
  for (const file of req.osvFiles) {
    const text = read(file, req.cwd, 'an OSV advisory JSON file');
    if (text.text === undefined) {
      problems.push(text.problem!);
      continue;
    }
    const osv = parseOsv(show(file), text.text);
    problems.push(...osv.problems.map((p) => `${p.where}: ${p.problem}`));
    if (osv.advisory) advisories.push(osv.advisory);
  }
  if (problems.length > 0) return { ...empty, skipped: upstream.skipped, problems };

  const proposal = propose({ component: req.component, existing, upstream: upstream.releases, advisories, ownPackages: req.ownPackages, since: req.since });
  const after = applyProposal(catalog.text, proposal);
  const others = readdirSync(req.catalogDir)
    .filter((n) => n.endsWith('.json') && n !== `${req.component}.json`)
    .map((n) => ({ file: show(join(req.catalogDir, n)), text: readFileSync(join(req.catalogDir, n), 'utf8') }));
  const check = validateCatalogTexts([...others, { file: show(catalogFile), text: after }], show(req.catalogDir));
  const invalid = check.issues.map((i) => `the catalog with this import would not validate: ${formatIssue(i)}`);
  return { catalogFile, proposal, skipped: upstream.skipped, problems: invalid, before: catalog.text, after, diff: unifiedDiff(show(catalogFile), catalog.text, after) };
}
