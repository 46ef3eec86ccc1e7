/**
 * Reads the release catalog and checks what a schema alone cannot: versions in order and
 * unique, dates that agree with versions, requirements that name real components and ranges a
 * catalog release can satisfy. Every problem is reported at once.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import semver from 'semver';
import { COMPONENT_IDS, type ComponentId } from '../../customers/schema';
import type { VersionCheck } from '../../customers/load';
import { show, type ValidationIssue } from '../../customers/json-issues';
import { readInputFile } from '../../customers/input-file';
import { checkInput, type InputKind } from '../../customers/read-input';
import { componentCatalogSchema, type Catalog, type ComponentCatalog } from './schema';
import { CATALOG_VERSION, compareVersions, patchLineOf, semverOf, versionParts } from './version';

export interface CatalogResult {
  /** Present only when there are no issues. */
  readonly catalog?: Catalog;
  readonly issues: ValidationIssue[];
}

const CATALOG_FILE: InputKind<typeof componentCatalogSchema> = {
  schema: componentCatalogSchema,
  schemaHint: 'upgrades/catalog/schema.ts',
  noun: 'the release catalog',
  secretHint: 'the catalog is public release history: remove the value',
};

/** Terraform-style constraints look valid to `semver` but mean something else; catch them. */
function rangeProblem(range: string): string | undefined {
  if (range.includes('~>')) return 'write npm ranges: "~> 1.2" is Terraform syntax; use ">=1.2.0 <2.0.0" or "^1.2.0"';
  if (range.includes(',')) return 'write npm ranges: separate comparators with spaces, not commas';
  if (semver.validRange(range) === null) return 'write an npm semver range such as ">=6.1.0"';
  return undefined;
}

function releaseChecks(file: string, cat: ComponentCatalog): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Map<string, number>();
  cat.releases.forEach((r, i) => {
    const at = `releases.${i}`;
    const first = seen.get(r.version);
    if (first !== undefined) {
      issues.push({ file, path: `${at}.version`, expected: 'each version listed once', got: `${r.version}, also at releases.${first}`, hint: 'merge the two entries' });
      return;
    }
    seen.set(r.version, i);
    if (i > 0) {
      const prev = cat.releases[i - 1];
      if (compareVersions(r.version, prev.version) <= 0) {
        issues.push({
          file,
          path: `${at}.version`,
          expected: `releases in ascending version order (after ${prev.version})`,
          got: r.version,
          hint: 'sort the releases by version so diffs of the catalog stay readable',
        });
      }
    }
    // Within one minor line a higher version cannot be older; across lines a maintenance backport
    // can be (collector 2.1.3 came after 2.2.1), and a 3.6.0.x backport only follows its own base.
    const line = patchLineOf(r.version);
    const earlierSameLine = cat.releases
      .slice(0, i)
      .filter((p) => (patchLineOf(p.version) === line || p.version === line) && compareVersions(p.version, r.version) < 0 && p.date > r.date);
    if (earlierSameLine.length > 0) {
      const p = earlierSameLine[earlierSameLine.length - 1];
      issues.push({
        file,
        path: `${at}.date`,
        expected: `a date on or after ${p.date} (the date of ${p.version}, a lower version of the same line)`,
        got: JSON.stringify(r.date),
        hint: 'dates out of order: check the date or the version against the changelog',
      });
    }
    if (r.endOfSupport !== undefined && r.endOfSupport < r.date) {
      issues.push({ file, path: `${at}.endOfSupport`, expected: `a day on or after the release date ${r.date}`, got: JSON.stringify(r.endOfSupport) });
    }
  });
  const majors = new Set(cat.releases.map((r) => versionParts(r.version)[0]));
  cat.mustStepThroughMajors.forEach((m, i) => {
    if (!majors.has(m)) {
      issues.push({
        file,
        path: `mustStepThroughMajors.${i}`,
        expected: `a major that has releases in this file (${[...majors].sort((a, b) => a - b).join(', ')})`,
        got: String(m),
        hint: 'add the major\'s releases or remove the entry',
      });
    }
  });
  return issues;
}

function requirementChecks(files: ReadonlyMap<ComponentId, { file: string; cat: ComponentCatalog }>): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const { file, cat } of files.values()) {
    cat.releases.forEach((r, i) => {
      const all = [
        ...Object.entries(r.requires).map(([other, range]) => ({ other, range, path: `releases.${i}.requires.${other}` })),
        ...r.requiresWhen.flatMap((w, j) => Object.entries(w.requires).map(([other, range]) => ({ other, range, path: `releases.${i}.requiresWhen.${j}.requires.${other}` }))),
      ];
      for (const { other, range, path } of all) {
        if (!(COMPONENT_IDS as readonly string[]).includes(other)) {
          issues.push({ file, path, expected: `a component id (${COMPONENT_IDS.join(', ')})`, got: JSON.stringify(other), hint: 'unknown component in a requirement: fix the name' });
          continue;
        }
        if (other === cat.component) {
          issues.push({ file, path, expected: 'a requirement on another component', got: JSON.stringify(other), hint: 'a release cannot require its own component' });
          continue;
        }
        const problem = rangeProblem(range);
        if (problem !== undefined) {
          issues.push({ file, path, expected: 'an npm semver range', got: JSON.stringify(range), hint: problem });
          continue;
        }
        const target = files.get(other as ComponentId);
        if (target && !target.cat.releases.some((t) => !t.withdrawn && semver.satisfies(semverOf(t.version), range))) {
          issues.push({
            file,
            path,
            expected: `a range that some ${other} release in the catalog satisfies`,
            got: JSON.stringify(range),
            hint: `no ${other} release matches; add the release to ${basename(target.file)} or fix the range`,
          });
        }
      }
    });
  }
  return issues;
}

/** Validates catalog files given as text; the pure core of loadCatalog. */
export function validateCatalogTexts(inputs: readonly { file: string; text: string | Uint8Array }[], dir = 'upgrades/catalog'): CatalogResult {
  const issues: ValidationIssue[] = [];
  const files = new Map<ComponentId, { file: string; cat: ComponentCatalog }>();
  for (const { file, text } of inputs) {
    const checked = checkInput(file, text, CATALOG_FILE);
    issues.push(...checked.issues);
    // A file with a suspected secret gets no further checks: they would print its strings.
    if (checked.data === undefined || checked.issues.length > 0) continue;
    const cat = checked.data;
    if (basename(file) !== `${cat.component}.json`) {
      issues.push({ file, path: 'component', expected: `a file named ${cat.component}.json for component ${cat.component}`, got: basename(file), hint: `rename the file or fix "component"` });
    }
    const first = files.get(cat.component);
    if (first) {
      issues.push({ file, path: 'component', expected: 'one catalog file per component', got: `${JSON.stringify(cat.component)}, also in ${first.file}`, hint: 'merge the files' });
      continue;
    }
    issues.push(...releaseChecks(file, cat));
    files.set(cat.component, { file, cat });
  }
  for (const component of COMPONENT_IDS) {
    if (!files.has(component) && !issues.some((i) => basename(i.file) === `${component}.json`)) {
      issues.push({ file: join(dir, `${component}.json`), path: '', expected: `a catalog file for ${component}`, got: 'no such file', hint: 'every component a customer can pin needs its release history' });
    }
  }
  issues.push(...requirementChecks(files));
  if (issues.length > 0) return { issues };
  const components: Partial<Record<ComponentId, ComponentCatalog>> = {};
  for (const component of COMPONENT_IDS) {
    const entry = files.get(component);
    if (entry) components[component] = entry.cat;
  }
  return { catalog: { components }, issues };
}

/** Loads every `<component>.json` in `dir`. */
export function loadCatalog(dir: string): CatalogResult {
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch (e) {
    return { issues: [{ file: dir, path: '', expected: 'a readable folder of catalog files', got: (e as Error).message, hint: 'pass --catalog DIR' }] };
  }
  const unreadable: ValidationIssue[] = [];
  const inputs: { file: string; text: Uint8Array }[] = [];
  for (const file of names.map((n) => join(dir, n))) {
    const read = readInputFile(file, 'a readable catalog file');
    if (read.bytes) inputs.push({ file, text: read.bytes });
    else unreadable.push(read.issue!);
  }
  const result = validateCatalogTexts(inputs, dir);
  return unreadable.length > 0 ? { issues: [...unreadable, ...result.issues] } : result;
}

/**
 * The `checkVersion` that customers/load.ts calls for every pin: a pin the catalog does not
 * list gets a hint naming the nearest versions it does list.
 */
export function catalogVersionCheck(catalog: Catalog): VersionCheck {
  return (component, version) => {
    const cat = catalog.components[component as ComponentId];
    if (!cat) return `the release catalog has no ${component} file`;
    const known = cat.releases.map((r) => r.version);
    if (known.includes(version)) return undefined;
    const parsed = semver.parse(version);
    if (parsed && parsed.prerelease.length > 0) {
      return `${component} ${show(version)} is a prerelease; prereleases never enter the fleet: pin a release such as ${known[known.length - 1]}`;
    }
    // compareVersions orders backports (3.6.0.2) too, which semver cannot parse.
    const valid = CATALOG_VERSION.test(version);
    const below = valid ? known.filter((v) => compareVersions(v, version) < 0) : [];
    const above = valid ? known.filter((v) => compareVersions(v, version) > 0) : [];
    const nearest = [...below.slice(-2), ...above.slice(0, 2)];
    const latest = known[known.length - 1];
    return `${component} ${show(version)} is not in the release catalog; nearest known: ${(nearest.length > 0 ? nearest : known.slice(-3)).join(', ')} (latest ${latest})`;
  };
}
