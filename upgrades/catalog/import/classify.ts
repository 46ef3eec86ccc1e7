/**
 * Kinds from an entry's words, the way releases.tsv was filled by hand: named advisories and
 * dependency bumps that reach an advisory's fixed version are security fixes; the rest goes by
 * the first rule whose words match. An entry no rule matches is left for a person.
 */
import type { ChangeKind } from '../schema';
import { isFixedIn, type Advisory } from './osv';
import type { UpstreamEntry } from './upstream';

export interface Classified {
  readonly kind: ChangeKind;
  /** Which rule decided, for the reviewer. */
  readonly rule: string;
  readonly advisories: readonly Advisory[];
  /** Advisory ids the entry names that no OSV file describes. */
  readonly namedIds: readonly string[];
}

const NAMED_ID = /\b(CVE-\d{4}-\d{4,}|GHSA(?:-[23456789cfghjmpqrvwx]{4}){3})\b/g;
const BUMP = /\b(?:bump|upgrade|update|set)\s+([A-Za-z0-9_.:/-]+?)(?:\s+(?:transitive\s+)?dependency)?\s+(?:from\s+\S+\s+)?to\s+v?(\d+(?:\.\d+){0,3}(?:[.-][A-Za-z0-9]+)*)/i;

const SECTION_KINDS: readonly [RegExp, ChangeKind][] = [
  [/security/i, 'security'],
  [/breaking/i, 'breaking'],
  [/deprecat/i, 'deprecation'],
  [/fix|bug/i, 'bug'],
  [/feature|new|enhancement|improvement|\badded\b/i, 'feature'],
];

const WORD_RULES: readonly [string, RegExp, ChangeKind][] = [
  ['security words', /\b(security|vulnerab\w*|exploit\w*|CVEs?)\b/i, 'security'],
  ['deprecation', /\bdeprecat\w*/i, 'deprecation'],
  ['license words', /\blicen[cs]e\b|\bSLULA\b/i, 'license'],
  ['breaking words', /\b(breaking|incompatib\w*|no longer|drop(?:s|ped)? support)\b/i, 'breaking'],
  ['build and test words', /\b(github actions?|workflows?|CI|integration tests?|unit tests?|sbt|scalafmt|readme|copyright|lacework|snyk|coveralls)\b/i, 'internal'],
  // "spec" alone is also a product word ("Event spec enrichment"): only test specs count, i.e.
  // "test spec(s)", the specs2 library, *Spec test classes and "specs" not after "event".
  ['build and test words', /\b[Tt]est spec(?:s|ifications?)?\b|\bspecs2\b|\b[A-Z][A-Za-z]*Spec\b|(?<![Ee]vent )\bspecs\b/, 'internal'],
  ['fix words', /\b(fix(?:es|ed)?|bug\w*|recover\w*|prevent\w*|avoid\w*|crash\w*|correct\w*|handle\w*|retry|retries)\b/i, 'bug'],
  ['feature words', /^(add|adds|added|allow|allows|support|supports|introduce|enable|expose|provide|publish)\b|\bconfigurable\b|\bnew\b/i, 'feature'],
];

/** Changelogs spell artifacts loosely ("snake-yaml" for org.yaml:snakeyaml): compare the artifact part, punctuation aside. */
function packageMatches(name: string, lib: string): boolean {
  const fold = (s: string) => s.toLowerCase().replace(/[-_.]/g, '');
  const artifact = name.split(/[:/]/).pop() ?? name;
  return fold(artifact) === fold(lib.split(/[:/]/).pop() ?? lib);
}

/** Advisories a "Bump <lib> to <version>" entry fixes: the bumped version is out of every affected interval. */
function bumpFixes(text: string, advisories: readonly Advisory[]): Advisory[] {
  const m = BUMP.exec(text);
  if (!m) return [];
  return advisories.filter((a) => a.packages.some((p) => packageMatches(p.name, m[1]) && isFixedIn(p, m[2])));
}

export function isDependencyBump(text: string): boolean {
  return BUMP.test(text);
}

export function classifyEntry(entry: UpstreamEntry, advisories: readonly Advisory[]): Classified | undefined {
  const named = [...entry.text.matchAll(NAMED_ID)].map((m) => m[1]);
  const byId = advisories.filter((a) => a.ids.some((id) => named.includes(id)));
  const bumped = bumpFixes(entry.text, advisories);
  const matched = [...new Set([...byId, ...bumped])];
  if (matched.length > 0 || named.length > 0) {
    const known = new Set(matched.flatMap((a) => a.ids));
    return { kind: 'security', rule: matched.length > 0 ? 'fixes an OSV advisory' : 'names an advisory', advisories: matched, namedIds: named.filter((id) => !known.has(id)) };
  }
  if (entry.section) {
    const bySection = SECTION_KINDS.find(([re]) => re.test(entry.section!));
    if (bySection) return { kind: bySection[1], rule: `listed under "${entry.section}"`, advisories: [], namedIds: [] };
  }
  const byWords = WORD_RULES.find(([, re]) => re.test(entry.text));
  return byWords ? { kind: byWords[2], rule: byWords[0], advisories: [], namedIds: [] } : undefined;
}
