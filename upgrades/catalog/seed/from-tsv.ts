/**
 * Seeds the release catalog from ../shared/reference/releases.tsv plus the curated facts in
 * curated.ts. Each TSV row becomes one release with the row's facts unchanged (date, kinds,
 * summary, advisories, source); where the row's severity is "unknown" the catalog derives one and
 * marks it (severityDerived, severityBasis). Run once per TSV update:
 *   npx tsc -p tsconfig.build.json && node dist/upgrades/catalog/seed/from-tsv.js [TSV] [OUT_DIR]
 * Output is deterministic, so re-running on the same TSV changes nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPONENT_IDS, type ComponentId } from '../../../customers/schema';
import { CHANGE_KINDS, SEVERITIES, type ChangeKind, type Severity } from '../schema';
import { compareVersions } from '../version';
import { ADVISORY_RATINGS, conditionalRequirementsOf, CURATED, DEFAULT_SEVERITY, HISTORY_FROM, LICENSE } from './curated';

export interface TsvRow {
  readonly component: string;
  readonly version: string;
  readonly date: string;
  readonly kinds: string[];
  readonly severityHint: string;
  /** As written: an id, with a trailing "?" when inferred. */
  readonly advisories: string[];
  readonly summary: string;
  readonly source: string;
}

const COLUMNS = ['component', 'version', 'date', 'kinds', 'severity_hint', 'advisories', 'summary', 'source'];

export function parseReleasesTsv(text: string): TsvRow[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const header = lines[0].split('\t');
  if (header.join('|') !== COLUMNS.join('|')) throw new Error(`releases.tsv: expected columns ${COLUMNS.join(', ')}, got ${header.join(', ')}`);
  return lines.slice(1).map((line, i) => {
    const f = line.split('\t');
    if (f.length !== COLUMNS.length) throw new Error(`releases.tsv line ${i + 2}: expected ${COLUMNS.length} columns, got ${f.length}`);
    const list = (s: string) => (s === '' ? [] : s.split(','));
    return { component: f[0], version: f[1], date: f[2], kinds: list(f[3]), severityHint: f[4], advisories: list(f[5]), summary: f[6], source: f[7] };
  });
}

/** "3" for 3.x; "0.14" below 1.0, where every minor is its own line. */
function lineOf(version: string): string {
  const [major, minor] = version.split('.');
  return major === '0' ? `0.${minor}` : major;
}

/** From HISTORY_FROM on, plus older releases on a line that still had releases since (a customer may still run them). */
export function selectRows(rows: readonly TsvRow[]): TsvRow[] {
  const liveLines = new Set(rows.filter((r) => r.date >= HISTORY_FROM).map((r) => `${r.component}|${lineOf(r.version)}`));
  return rows.filter((r) => r.date >= HISTORY_FROM || liveLines.has(`${r.component}|${lineOf(r.version)}`));
}

function severityOf(row: TsvRow): { severity?: Severity; severityDerived?: true; severityBasis?: string } {
  if (!row.kinds.includes('security')) return {};
  if ((SEVERITIES as readonly string[]).includes(row.severityHint)) return { severity: row.severityHint as Severity };
  const rated = row.advisories
    .map((a) => a.replace(/\?$/, ''))
    .filter((id) => ADVISORY_RATINGS.has(id))
    .sort((a, b) => SEVERITIES.indexOf(ADVISORY_RATINGS.get(a)!.severity) - SEVERITIES.indexOf(ADVISORY_RATINGS.get(b)!.severity) || (a < b ? -1 : 1));
  if (rated.length > 0) {
    const id = rated[0];
    const { severity, from } = ADVISORY_RATINGS.get(id)!;
    const inferred = row.advisories.includes(`${id}?`) ? ' (advisory inferred from a bumped library)' : '';
    return { severity, severityDerived: true, severityBasis: `rating of ${id}${inferred}: ${severity} (${from})` };
  }
  return { severity: DEFAULT_SEVERITY, severityDerived: true, severityBasis: `default ${DEFAULT_SEVERITY}: the source states no severity and names no rated advisory` };
}

export function catalogFiles(rows: readonly TsvRow[]): { component: ComponentId; json: string }[] {
  const selected = selectRows(rows);
  return COMPONENT_IDS.map((component) => {
    const curated = CURATED[component];
    const releases = selected
      .filter((r) => r.component === component)
      .sort((a, b) => compareVersions(a.version, b.version))
      .map((row) => {
        const unknownKinds = row.kinds.filter((k) => !(CHANGE_KINDS as readonly string[]).includes(k));
        if (unknownKinds.length > 0) throw new Error(`releases.tsv ${component} ${row.version}: unknown kinds ${unknownKinds.join(', ')}`);
        const extra = curated.releases[row.version] ?? {};
        const migration = [
          ...(row.version === curated.licenseFrom ? [`${LICENSE} (releases-notes.md licence gates)`] : []),
          ...(extra.migration ?? []),
        ];
        const conditional = conditionalRequirementsOf(component, row.version);
        return {
          version: row.version,
          date: row.date,
          kinds: row.kinds as ChangeKind[],
          summary: row.summary,
          ...severityOf(row),
          advisories: row.advisories.map((a) => ({ id: a.replace(/\?$/, ''), inferred: a.endsWith('?') })),
          source: row.source,
          ...(extra.requires ? { requires: { ...extra.requires } } : {}),
          ...(conditional.length > 0 ? { requiresWhen: conditional } : {}),
          ...(migration.length > 0 ? { migration } : {}),
        };
      });
    const file = {
      component,
      name: curated.name,
      mustStepThroughMajors: [...curated.mustStepThroughMajors],
      releases,
    };
    return { component, json: `${JSON.stringify(file, null, 2)}\n` };
  });
}

if (require.main === module) {
  const root = join(__dirname, '..', '..', '..', '..');
  const tsv = process.argv[2] ?? join(root, '..', 'shared', 'reference', 'releases.tsv');
  const out = process.argv[3] ?? join(root, 'upgrades', 'catalog');
  for (const f of catalogFiles(parseReleasesTsv(readFileSync(tsv, 'utf8')))) writeFileSync(join(out, `${f.component}.json`), f.json);
  console.log(`wrote ${COMPONENT_IDS.length} catalog files to ${out}`);
}
