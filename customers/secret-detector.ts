/**
 * Recognises values that look like credentials. Customer files name secrets; they never hold
 * them, and synthesized Terraform must not carry one either.
 *
 * Two layers: the project's own patterns here (pure and synchronous, also used by the
 * no-secret-literals policy rule on synthesized output) and secretlint's recommended preset
 * (customers/secretlint-scan.ts), which `scanSecrets` adds for every input file the fleet reads.
 * Every pattern is linear in the length of the value: inputs can be large and hostile.
 */
import { secretlintHits } from './secretlint-scan';

interface Pattern {
  readonly name: string;
  readonly test: (value: string) => boolean;
}

const re = (regex: RegExp) => (value: string) => regex.test(value);

/** user:password@ after a "://": found from each "://" so the scan stays linear. */
function passwordInUrl(value: string): boolean {
  const userinfo = /^[^\s:@/]+:[^\s@/]+@/;
  for (let i = value.indexOf('://'); i !== -1; i = value.indexOf('://', i + 3)) {
    if (userinfo.test(value.slice(i + 3, i + 3 + 512))) return true;
  }
  return false;
}

/** 40 characters of base64 with upper case, lower case and a digit or "/" "+": AWS's secret access key shape. */
function awsSecretAccessKey(value: string): boolean {
  for (const m of value.matchAll(/(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g)) {
    const s = m[0];
    if (/[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9/+]/.test(s)) return true;
  }
  return false;
}

const CREDENTIAL_WORD = '(?<![a-z0-9])[a-z0-9_]{0,40}?(password|passwd|pwd|secret|api[_-]?key|access[_-]?key|private[_-]?key|token)';
// Placeholders ($VAR, %s, {{x}}, <value>) are where a value will go, not a value.
const ASSIGNED_VALUE = `["']?(?![$%{<])[^\\s"'$;&%\\\\]`;
const ASSIGNED_WITH_EQUALS = new RegExp(`${CREDENTIAL_WORD}\\s*=\\s*${ASSIGNED_VALUE}{3,}`, 'i');
// "token: value" is also how prose reads ("the token: see the runbook"): only longer values count.
const ASSIGNED_WITH_COLON = new RegExp(`${CREDENTIAL_WORD}\\s*:\\s*${ASSIGNED_VALUE}{6,}`, 'i');

const PATTERNS: readonly Pattern[] = [
  { name: 'AWS access key id', test: re(/\b(AKIA|ASIA|AROA|AIDA)[0-9A-Z]{16}\b/) },
  { name: 'AWS secret access key', test: awsSecretAccessKey },
  { name: 'private key block', test: re(/-----BEGIN [A-Z ]*PRIVATE KEY( BLOCK)?-----/) },
  // A DER key or certificate body starts with "MII" (a SEQUENCE with a two-byte length).
  { name: 'PEM body (base64 key material)', test: re(/(?<![A-Za-z0-9+/])MII[A-Za-z0-9+/]{40,}/) },
  { name: 'GitHub token', test: re(/\bgh[pousr]_[A-Za-z0-9]{36,}\b/) },
  { name: 'Slack token', test: re(/\bxox[abeprs]-[A-Za-z0-9-]{10,}/) },
  { name: 'Slack webhook URL', test: re(/hooks\.slack\.com\/(services|workflows|triggers)\/[A-Za-z0-9]+\/[A-Za-z0-9/]+/) },
  { name: 'Google API key', test: re(/\bAIza[0-9A-Za-z_-]{35}\b/) },
  { name: 'JSON web token', test: re(/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/) },
  { name: '40-hex key', test: re(/(?<![0-9A-Fa-f])[0-9A-Fa-f]{40}(?![0-9A-Fa-f])/) },
  { name: 'password in a URL', test: passwordInUrl },
  // PGPASSWORD=..., DB_PASSWORD: ..., api_key=..., and the Password=...; of connection strings.
  {
    name: 'assignment of a credential',
    test: (v) => ASSIGNED_WITH_EQUALS.test(v) || ASSIGNED_WITH_COLON.test(v),
  },
];

/** Keys whose string values are credentials when they hold anything at all. */
const SECRET_KEY = /^(password|passwd|pwd|secret|client[_-]?secret|api[_-]?key|private[_-]?key|access[_-]?key|secret[_-]?key|secret[_-]?access[_-]?key|token|auth[_-]?token|credentials?)$/i;

/** Identifier shapes that are long and mixed but never secrets: ARNs, resource ids, TLS policy names. */
const KNOWN_IDENTIFIER = /^(arn:aws[a-z-]*:|(vpc|subnet|sg|ami|i|lt|vpce|eni|igw|nat|rtb)-[0-9a-f]{8,17}$|ELBSecurityPolicy-|projects\/|https?:\/\/[a-z0-9.-]+\/[^\s]*$)/;

function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * Long, random-looking tokens (base64/hex keys) that carry no structure. Names built from words
 * and short parts joined by "-", "_" or "." (ELBSecurityPolicy-TLS13-1-3-2021-06) are not random:
 * a token counts only when one unbroken part is long, mixed and high in entropy.
 */
function looksRandom(value: string): boolean {
  if (value.length < 24 || value.length > 4096 || KNOWN_IDENTIFIER.test(value)) return false;
  if (!/^[A-Za-z0-9+/=_.-]+$/.test(value)) return false;
  const longest = value.split(/[-_.]/).reduce((a, b) => (b.length > a.length ? b : a), '');
  if (longest.length < 24) return false;
  const classes = [/[a-z]/, /[A-Z]/, /\d/].filter((r) => r.test(longest)).length;
  return classes >= 3 && shannonEntropy(longest) > 4.2;
}

/** Why a value looks like a secret, or undefined when it does not. */
export function secretReason(value: string, key?: string, opts: { entropy?: boolean } = {}): string | undefined {
  for (const p of PATTERNS) if (p.test(value)) return p.name;
  if (key !== undefined && SECRET_KEY.test(key) && value.length > 0) return `value of a "${key}" field`;
  if ((opts.entropy ?? true) && looksRandom(value)) return 'long high-entropy string';
  return undefined;
}

export interface SecretFinding {
  readonly path: string;
  readonly reason: string;
}

/**
 * Decides whether to skip a field (and all below it) by its name and depth (1 = top level), e.g.
 * "$schema" at the top, or cdktf's "//" metadata anywhere.
 */
export type SkipField = (key: string, depth: number) => boolean;

/**
 * What `eachString` tells of each string: the field name or array index it sits under, and its
 * dotted path, built only when asked (a fleet's files hold millions of strings and few are flagged).
 */
type Visit = (value: string, key: string | number | undefined, isKey: boolean, path: () => string) => void;

/** `keys` without those `skip` drops at `depth`; the same array when it drops none. */
function keptNames(keys: string[], skip: SkipField, depth: number): string[] {
  for (let i = 0; i < keys.length; i++) if (skip(keys[i], depth)) return keys.filter((k) => !skip(k, depth));
  return keys;
}

/**
 * Calls `visit` for every string in a JSON value, field names included (an object's names before
 * its values), depth first. Iterative, input depth is not trusted here; the open objects and
 * arrays are kept in three parallel stacks rather than an object each, and an object's names are
 * copied only when `skip` drops one, because a fleet's scan walks millions of nodes.
 */
function eachString(value: unknown, skip: SkipField | undefined, visit: Visit): void {
  if (typeof value === 'string') visit(value, undefined, false, () => '');
  if (typeof value !== 'object' || value === null) return;
  const nodes: object[] = [];
  /** The object's field names not skipped; undefined for an array. */
  const names: (readonly string[] | undefined)[] = [];
  /** The field (index into its names) or item being visited. */
  const at: number[] = [];
  const path = (): string => nodes.map((_, i) => (names[i] ? names[i]![at[i]] : at[i])).join('.');
  const enter = (node: object): void => {
    const depth = nodes.length + 1;
    nodes.push(node);
    if (Array.isArray(node)) {
      names.push(undefined);
      at.push(-1);
      return;
    }
    const keys = skip ? keptNames(Object.keys(node), skip, depth) : Object.keys(node);
    names.push(keys);
    at.push(-1);
    const top = depth - 1;
    for (at[top] = keys.length - 1; at[top] >= 0; at[top]--) visit(keys[at[top]], keys[at[top]], true, path);
  };
  enter(value);
  while (nodes.length > 0) {
    const top = nodes.length - 1;
    const keys = names[top];
    const node = nodes[top] as Record<string | number, unknown>;
    if (++at[top] >= (keys ?? (node as unknown as unknown[])).length) {
      nodes.pop();
      names.pop();
      at.pop();
      continue;
    }
    const key = keys ? keys[at[top]] : at[top];
    const child = node[key];
    if (typeof child === 'string') visit(child, key, false, path);
    else if (typeof child === 'object' && child !== null) enter(child);
  }
}

/**
 * The value patterns' verdict (not the field name's) of each distinct string, kept for the
 * process: a value is judged on its own, so the answer never changes, and a fleet's files (and
 * the stacks synthesized from them) repeat the same names and values thousands of times. Bounded,
 * so memory stays flat over a fleet: long values are not kept, and a full table starts over; what
 * is dropped is judged again, never taken as clean.
 */
const VERDICT_LIMIT = 200_000;
const KEPT_LENGTH = 1_024;
const verdicts = { entropy: new Map<string, string | null>(), plain: new Map<string, string | null>() };
/** Field names already matched against SECRET_KEY (they repeat even more than values). */
const secretKeys = new Map<string, boolean>();

const isSecretKey = (key: string | number | undefined): key is string => {
  if (typeof key !== 'string') return false;
  let known = secretKeys.get(key);
  if (known === undefined) {
    if (secretKeys.size >= VERDICT_LIMIT) secretKeys.clear();
    known = SECRET_KEY.test(key);
    secretKeys.set(key, known);
  }
  return known;
};

/** The value patterns' verdict of `value` (null: none), from `byValue` when it has been judged before. */
function verdictOf(value: string, byValue: Map<string, string | null>, opts: { entropy?: boolean }): string | null {
  let reason = byValue.get(value);
  if (reason === undefined) {
    reason = secretReason(value, undefined, opts) ?? null;
    if (value.length <= KEPT_LENGTH) {
      if (byValue.size >= VERDICT_LIMIT) byValue.clear();
      byValue.set(value, reason);
    }
  }
  return reason;
}

/** A value under a credential-named field is judged with that name; every other string on its own. */
const underSecretKey = (value: string, key: string | number | undefined, isKey: boolean): key is string => !isKey && value.length > 0 && isSecretKey(key);

/** Why a string looks like a secret by the project's own patterns; `key` is the field name (or index) it sits under, `isKey` that it is a field name itself. */
function reasonCache(opts: { entropy?: boolean }): (value: string, key: string | number | undefined, isKey: boolean) => string | undefined {
  const byValue = (opts.entropy ?? true) ? verdicts.entropy : verdicts.plain;
  return (value, key, isKey) => (underSecretKey(value, key, isKey) ? secretReason(value, key, opts) : (verdictOf(value, byValue, opts) ?? undefined));
}

/** Walks a JSON value and reports every string that looks like a secret by the project's own patterns. */
export function findSecrets(value: unknown, opts: { entropy?: boolean; skip?: SkipField } = {}): SecretFinding[] {
  const reasonOf = reasonCache(opts);
  const findings: SecretFinding[] = [];
  eachString(value, opts.skip, (s, key, isKey, path) => {
    const reason = reasonOf(s, key, isKey);
    if (reason) findings.push({ path: path(), reason: isKey ? `a field name: ${reason}` : reason });
  });
  return findings;
}

export interface SecretScan {
  readonly findings: SecretFinding[];
  /** Every string found suspicious, so that no message can print one. */
  readonly suspected: ReadonlySet<string>;
  /** The suspicious strings that are field names, so that no path can print one. */
  readonly suspectedKeys: ReadonlySet<string>;
}

/** The project's patterns and secretlint's recommended preset over every string (and key) of an input. Throws when secretlint cannot run. */
export function scanSecrets(value: unknown, skip?: SkipField): SecretScan {
  const seen: SeenStrings = new Map();
  const own = ownFindings(value, skip, seen);
  return addSecretlint(value, skip, own, secretlintRules(seen));
}

/** A scan being filled in: the first reason per path, and every suspicious string. */
class Findings {
  private readonly byPath = new Map<string, string>();
  private readonly suspected = new Set<string>();
  private readonly suspectedKeys = new Set<string>();

  flag(s: string, path: string, isKey: boolean, reason: string): void {
    if (!this.byPath.has(path)) this.byPath.set(path, isKey ? `a field name: ${reason}` : reason);
    this.suspected.add(s);
    if (isKey) this.suspectedKeys.add(s);
  }

  done(): SecretScan {
    return { findings: [...this.byPath].map(([path, reason]) => ({ path, reason })), suspected: this.suspected, suspectedKeys: this.suspectedKeys };
  }
}

/**
 * Every distinct string one scan has met, with its value patterns' verdict: the strings
 * secretlint is given, and the first place a repeated string is looked up (one lookup instead of
 * two for each of a fleet's millions of strings).
 */
type SeenStrings = Map<string, string | null>;

/** The project's own patterns over `value`; every string it holds goes into `seen`. */
function ownFindings(value: unknown, skip: SkipField | undefined, seen: SeenStrings): Findings {
  const findings = new Findings();
  eachString(value, skip, (s, key, isKey, path) => {
    let verdict = seen.get(s);
    if (verdict === undefined) seen.set(s, (verdict = verdictOf(s, verdicts.entropy, {})));
    const reason = underSecretKey(s, key, isKey) ? secretReason(s, key) : verdict;
    if (reason) findings.flag(s, path(), isKey, reason);
  });
  return findings;
}

/** Adds what secretlint fired for (`rules`, by string) to `value`'s findings. */
function addSecretlint(value: unknown, skip: SkipField | undefined, findings: Findings, rules: ReadonlyMap<string, string>): SecretScan {
  // secretlint rarely fires: only then is the input walked again for the paths of what it found.
  if (rules.size > 0) {
    eachString(value, skip, (s, _key, isKey, path) => {
      const rule = rules.get(s);
      if (rule !== undefined) findings.flag(s, path(), isKey, `secretlint ${rule}`);
    });
  }
  return findings.done();
}

/** secretlint over `strings`: the rule (without its package prefix) it fired for each string it flags. Throws when it cannot run. */
function secretlintRules(seen: SeenStrings): ReadonlyMap<string, string> {
  const list = [...seen.keys()];
  return new Map(secretlintHits(list).map((hit) => [list[hit.index], hit.ruleId.replace('@secretlint/secretlint-rule-', '')]));
}

/**
 * Scans many inputs one at a time: the project's own patterns at once (`ownScan`), secretlint
 * once at the end over every distinct string seen (`secretlintRules`). A fleet's files can then
 * be checked and dropped one by one instead of all being held for one secretlint call, and a
 * worker round trip per file would cost more than the checks.
 */
export class SecretScanner {
  private readonly seen: SeenStrings = new Map();

  constructor(private readonly skip?: SkipField) {}

  /** `value`'s scan by the project's own patterns; its strings wait for `secretlintRules`. */
  ownScan(value: unknown): SecretScan {
    return ownFindings(value, this.skip, this.seen).done();
  }

  /** secretlint over every string scanned so far, by string. Throws when secretlint cannot run, so callers can fail closed. */
  secretlintRules(): ReadonlyMap<string, string> {
    return secretlintRules(this.seen);
  }

  /** `value`'s whole scan: its own patterns' findings and what secretlint fired for (`secretlintRules`). */
  fullScan(value: unknown, rules: ReadonlyMap<string, string>): SecretScan {
    return addSecretlint(value, this.skip, ownFindings(value, this.skip, this.seen), rules);
  }
}
