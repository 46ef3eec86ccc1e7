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
  readonly key: string;
}

function pathParts(link: PathLink | undefined): string[] {
  const parts: string[] = [];
  for (let l = link; l !== undefined; l = l.parent) parts.push(l.key);
  return parts.reverse();
}

interface FoundString {
  readonly at?: PathLink;
  readonly value: string;
  /** The field name the value sits under (undefined for keys themselves). */
  readonly key?: string;
  /** The string is a field name, not a value. */
  readonly isKey?: boolean;
}

/**
 * Decides whether to skip a field (and all below it) by its name and depth (1 = top level), e.g.
 * "$schema" at the top, or cdktf's "//" metadata anywhere.
 */
export type SkipField = (key: string, depth: number) => boolean;

/** Every string in a JSON value (values and keys), iteratively: input depth is not trusted here. */
function strings(value: unknown, skip?: SkipField): FoundString[] {
  const out: FoundString[] = [];
  const todo: { v: unknown; at?: PathLink; depth: number }[] = [{ v: value, depth: 0 }];
  while (todo.length > 0) {
    const { v, at, depth } = todo.pop()!;
    if (typeof v === 'string') out.push({ at, value: v, key: at?.key });
    else if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) todo.push({ v: v[i], at: { parent: at, key: String(i) }, depth: depth + 1 });
    else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        if (skip?.(keys[i], depth + 1)) continue;
        const child: PathLink = { parent: at, key: keys[i] };
        out.push({ at: child, value: keys[i], isKey: true });
        todo.push({ v: (v as Record<string, unknown>)[keys[i]], at: child, depth: depth + 1 });
      }
    }
  }
  return out;
}

/**
 * Verdicts on values by the value alone, kept across calls: the policy rule scans every element of
 * every stack a process synthesizes, and those repeat the same field names and values (attribute
 * names, ARNs, boot-script lines) thousands of times. Bounded, so memory stays flat over a fleet:
 * long values are not kept, and a full table starts over.
 */
const KEPT_VERDICTS = 50_000;
const KEPT_LENGTH = 1_024;
const verdicts = { entropy: new Map<string, string | undefined>(), noEntropy: new Map<string, string | undefined>() };

function valueReason(value: string, entropy: boolean): string | undefined {
  const kept = entropy ? verdicts.entropy : verdicts.noEntropy;
  if (kept.has(value)) return kept.get(value);
  const reason = secretReason(value, undefined, { entropy });
  if (value.length <= KEPT_LENGTH) {
    if (kept.size >= KEPT_VERDICTS) kept.clear();
    kept.set(value, reason);
  }
  return reason;
}

/** The value patterns of a string, plus its field name's when that name is a credential's. */
function reasonOf(opts: { entropy?: boolean }): (value: string, key?: string) => string | undefined {
  return (value, key) => {
    if (key !== undefined && SECRET_KEY.test(key) && value.length > 0) return secretReason(value, key, opts);
    return valueReason(value, opts.entropy ?? true);
  };
}

/** Walks a JSON value and reports every string that looks like a secret by the project's own patterns. */
export function findSecrets(value: unknown, opts: { entropy?: boolean; skip?: SkipField } = {}): SecretFinding[] {
  const reasonFor = reasonOf(opts);
  return strings(value, opts.skip).flatMap((s) => {
    const reason = reasonFor(s.value, s.key);
    return reason ? [{ path: pathParts(s.at).join('.'), reason: s.isKey ? `a field name: ${reason}` : reason }] : [];
  });
}

export interface SecretScan {
  readonly findings: SecretFinding[];
  /** Every string found suspicious, so that no message can print one. */
  readonly suspected: ReadonlySet<string>;
  /** The suspicious strings that are field names, so that no path can print one. */
  readonly suspectedKeys: ReadonlySet<string>;
}

/** The project's patterns and secretlint's recommended preset over every string (and key) of an input. */
export function scanSecrets(value: unknown, skip?: SkipField): SecretScan {
  const found = strings(value, skip);
  const byPath = new Map<string, string>();
  const suspected = new Set<string>();
  const suspectedKeys = new Set<string>();
  const flag = (s: FoundString, reason: string): void => {
    const path = pathParts(s.at).join('.');
    if (!byPath.has(path)) byPath.set(path, s.isKey ? `a field name: ${reason}` : reason);
    suspected.add(s.value);
    if (s.isKey) suspectedKeys.add(s.value);
  };
  const reasonFor = reasonOf({});
  for (const s of found) {
    const reason = reasonFor(s.value, s.key);
    if (reason) flag(s, reason);
  }
  // Each distinct string once: large inputs (a fleet's plan) repeat the same values many times.
  const distinct = [...new Set(found.map((s) => s.value))];
  const ruleOf = new Map(secretlintHits(distinct).map((hit) => [distinct[hit.index], hit.ruleId.replace('@secretlint/secretlint-rule-', '')]));
  if (ruleOf.size > 0) {
    for (const s of found) {
      const rule = ruleOf.get(s.value);
      if (rule !== undefined) flag(s, `secretlint ${rule}`);
    }
  }
  return { findings: [...byPath].map(([path, reason]) => ({ path, reason })), suspected, suspectedKeys };
}
