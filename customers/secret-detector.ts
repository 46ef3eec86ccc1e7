/**
 * Recognises values that look like credentials. Customer files name secrets; they never hold
 * them, and synthesized Terraform must not carry one either. Used by `fleet validate` and by the
 * no-secret-literals policy rule.
 */

interface Pattern {
  readonly name: string;
  readonly regex: RegExp;
}

const PATTERNS: readonly Pattern[] = [
  { name: 'AWS access key id', regex: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: 'private key block', regex: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { name: 'GitHub token', regex: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { name: 'Slack token', regex: /\bxox[abprs]-[A-Za-z0-9-]{10,}/ },
  { name: 'Google API key', regex: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: 'JSON web token', regex: /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  { name: 'password in a URL', regex: /[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:[^\s@/]+@/i },
  { name: 'assignment of a credential', regex: /(?<![a-z0-9])(password|passwd|pwd|secret|api[_-]?key|access[_-]?key|token)\s*[=:]\s*["']?[^\s"'$]{6,}/i },
];

/** Keys whose string values are credentials when they hold anything at all. */
const SECRET_KEY = /^(password|passwd|pwd|secret|client[_-]?secret|api[_-]?key|private[_-]?key|access[_-]?key|secret[_-]?key|token|auth[_-]?token|credentials?)$/i;

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

/** Long, random-looking tokens (base64/hex keys) that carry no structure such as an ARN or a URL. */
function looksRandom(value: string): boolean {
  if (value.length < 32 || /[\s/:]/.test(value)) return false;
  if (!/^[A-Za-z0-9+=_-]+$/.test(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /\d/].filter((r) => r.test(value)).length;
  return classes >= 3 && shannonEntropy(value) > 4.2;
}

/** Why a value looks like a secret, or undefined when it does not. */
export function secretReason(value: string, key?: string, opts: { entropy?: boolean } = {}): string | undefined {
  for (const p of PATTERNS) if (p.regex.test(value)) return p.name;
  if (key !== undefined && SECRET_KEY.test(key) && value.length > 0) return `value of a "${key}" field`;
  if ((opts.entropy ?? true) && looksRandom(value)) return 'long high-entropy string';
  return undefined;
}

export interface SecretFinding {
  readonly path: string;
  readonly reason: string;
}

/** Walks a JSON value and reports every string that looks like a secret, with its path. */
export function findSecrets(value: unknown, opts: { entropy?: boolean; skip?: (path: string[]) => boolean } = {}): SecretFinding[] {
  const out: SecretFinding[] = [];
  const walk = (v: unknown, path: string[]): void => {
    if (opts.skip?.(path)) return;
    if (typeof v === 'string') {
      const reason = secretReason(v, path[path.length - 1], opts);
      if (reason) out.push({ path: path.join('.'), reason });
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, [...path, String(i)]));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) walk(child, [...path, k]);
    }
  };
  walk(value, []);
  return out;
}

/** A value shown in an error message without leaking it if it is a credential. */
export function redact(value: unknown): string {
  if (typeof value === 'string' && secretReason(value) !== undefined) return `<redacted ${value.length}-character value>`;
  const text = JSON.stringify(value);
  if (text === undefined) return 'nothing';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
