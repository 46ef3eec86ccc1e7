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

/** A path as a chain of links to the parent, so that only flagged strings pay for their path. */
interface PathLink {
  readonly parent?: PathLink;
  /** A field name, or an array index (made a string only when a path is printed). */
  readonly key: string | number;
}

function pathOf(link: PathLink | undefined): string {
  const parts: (string | number)[] = [];
  for (let l = link; l !== undefined; l = l.parent) parts.push(l.key);
  return parts.reverse().join('.');
}

/**
 * Decides whether to skip a field (and all below it) by its name and depth (1 = top level), e.g.
 * "$schema" at the top, or cdktf's "//" metadata anywhere.
 */
export type SkipField = (key: string, depth: number) => boolean;

/**
 * Calls `visit` for every string in a JSON value, field names included (an object's names before
 * its values), with the path to it. Iterative, with the pending values in plain arrays: input
 * depth is not trusted here, and a fleet's files hold millions of strings.
 */
function eachString(value: unknown, skip: SkipField | undefined, visit: (value: string, at: PathLink | undefined, isKey: boolean) => void): void {
  const values: unknown[] = [value];
  const links: (PathLink | undefined)[] = [undefined];
  const depths: number[] = [0];
  while (values.length > 0) {
    const v = values.pop();
    const at = links.pop();
    const depth = depths.pop()!;
    if (typeof v === 'string') visit(v, at, false);
    else if (typeof v !== 'object' || v === null) continue;
    else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        values.push(v[i]);
        links.push({ parent: at, key: i });
        depths.push(depth + 1);
      }
    } else {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        if (skip?.(keys[i], depth + 1)) continue;
        const child: PathLink = { parent: at, key: keys[i] };
        visit(keys[i], child, true);
        values.push((v as Record<string, unknown>)[keys[i]]);
        links.push(child);
        depths.push(depth + 1);
      }
    }
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

/** Why a string looks like a secret by the project's own patterns; `at` is where it sits, `isKey` that it is a field name. */
function reasonCache(opts: { entropy?: boolean }): (value: string, at: PathLink | undefined, isKey: boolean) => string | undefined {
  const byValue = (opts.entropy ?? true) ? verdicts.entropy : verdicts.plain;
  return (value, at, isKey) => {
    if (!isKey && value.length > 0 && isSecretKey(at?.key)) return secretReason(value, at!.key as string, opts);
    let reason = byValue.get(value);
    if (reason === undefined) {
      reason = secretReason(value, undefined, opts) ?? null;
      if (value.length <= KEPT_LENGTH) {
        if (byValue.size >= VERDICT_LIMIT) byValue.clear();
        byValue.set(value, reason);
      }
    }
    return reason ?? undefined;
  };
}

/** Walks a JSON value and reports every string that looks like a secret by the project's own patterns. */
export function findSecrets(value: unknown, opts: { entropy?: boolean; skip?: SkipField } = {}): SecretFinding[] {
  const reasonOf = reasonCache(opts);
  const findings: SecretFinding[] = [];
  eachString(value, opts.skip, (s, at, isKey) => {
    const reason = reasonOf(s, at, isKey);
    if (reason) findings.push({ path: pathOf(at), reason: isKey ? `a field name: ${reason}` : reason });
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
  const [scan] = scanSecretsOfMany([value], skip);
  if (scan instanceof Error) throw scan;
  return scan;
}

/** A scan being filled in: the first reason per path, and every suspicious string. */
class Findings {
  private readonly byPath = new Map<string, string>();
  private readonly suspected = new Set<string>();
  private readonly suspectedKeys = new Set<string>();

  flag(s: string, at: PathLink | undefined, isKey: boolean, reason: string): void {
    const path = pathOf(at);
    if (!this.byPath.has(path)) this.byPath.set(path, isKey ? `a field name: ${reason}` : reason);
    this.suspected.add(s);
    if (isKey) this.suspectedKeys.add(s);
  }

  done(): SecretScan {
    return { findings: [...this.byPath].map(([path, reason]) => ({ path, reason })), suspected: this.suspected, suspectedKeys: this.suspectedKeys };
  }
}

/**
 * `scanSecrets` over many inputs, with one secretlint call for all their distinct strings: a
 * fleet's files would otherwise pay a worker round trip each. Every string is judged on its own,
 * so each input's scan is what `scanSecrets` would give it. When secretlint cannot run, every
 * input gets the Error (callers fail closed).
 */
export function scanSecretsOfMany(values: readonly unknown[], skip?: SkipField): (SecretScan | Error)[] {
  const reasonOf = reasonCache({});
  const distinct = new Set<string>();
  const scans = values.map((value) => {
    const findings = new Findings();
    eachString(value, skip, (s, at, isKey) => {
      const reason = reasonOf(s, at, isKey);
      if (reason) findings.flag(s, at, isKey, reason);
      distinct.add(s);
    });
    return findings;
  });
  let ruleOf: Map<string, string>;
  try {
    const list = [...distinct];
    ruleOf = new Map(secretlintHits(list).map((hit) => [list[hit.index], hit.ruleId.replace('@secretlint/secretlint-rule-', '')]));
  } catch (e) {
    return values.map(() => e as Error);
  }
  // secretlint rarely fires: only then are the inputs walked again for the paths of what it found.
  if (ruleOf.size > 0) {
    values.forEach((value, i) =>
      eachString(value, skip, (s, at, isKey) => {
        const rule = ruleOf.get(s);
        if (rule !== undefined) scans[i].flag(s, at, isKey, `secretlint ${rule}`);
      }),
    );
  }
  return scans.map((f) => f.done());
}
