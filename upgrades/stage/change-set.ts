/**
 * The resource-level change set between two synthesized configurations of one stack: what
 * `terraform plan` should show when the stack moves from `before` to `after`, predicted without
 * a provider or any state.
 *
 * Literal differences are found by comparing the JSON. Terraform also changes values the JSON
 * does not show: a reference to a resource that is replaced (or to an attribute that moves on
 * every update, like a launch template's latest_version) is "known after apply", so the resource
 * holding the reference changes too, and is replaced if the reference sits in a force-new
 * attribute. Those effects are followed to a fixed point.
 */
import { conditionalNote, FORCE_NEW, forcesNew } from './force-new';
import { assessRisks, type ResourceValues } from './risk';
import type { ChangeSet, ResourceChange, TerraformConfig } from './types';

/**
 * Meta-arguments and cdktf metadata: not resource attributes, so a change to them is not an
 * update ("//" is cdktf's construct path metadata; lifecycle, depends_on and provider steer
 * Terraform but are not sent to the provider).
 */
const META_KEYS = new Set(['//', 'lifecycle', 'depends_on', 'provider', 'provisioner', 'connection', 'count', 'for_each']);

type Body = Record<string, unknown>;

interface Reference {
  /** Where the reference sits in the referring resource. */
  readonly path: string;
  readonly target: string;
  readonly attribute: string;
}

interface Tracked {
  readonly address: string;
  readonly type: string;
  readonly before: Body;
  readonly after: Body;
  readonly literal: Set<string>;
  /** Paths whose new value is known only after apply, with the resource it comes from. */
  readonly unknown: Map<string, string>;
  readonly references: Reference[];
  readonly ignoreAll: boolean;
  action: 'none' | 'update' | 'replace';
  forcing: string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function resourcesOf(config: TerraformConfig | undefined): Map<string, { type: string; raw: Body }> {
  const out = new Map<string, { type: string; raw: Body }>();
  for (const [type, byName] of Object.entries(config?.resource ?? {})) {
    for (const [name, raw] of Object.entries(byName ?? {})) out.set(`${type}.${name}`, { type, raw: raw ?? {} });
  }
  return out;
}

function attributes(raw: Body): Body {
  return Object.fromEntries(Object.entries(raw).filter(([k]) => !META_KEYS.has(k)));
}

function join(prefix: string, key: string | number): string {
  return prefix === '' ? String(key) : `${prefix}.${key}`;
}

/** Dotted paths (list indexes included) where `a` and `b` differ, recursing into objects and arrays. */
export function differingPaths(a: unknown, b: unknown, prefix = '', out: string[] = []): string[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i >= a.length || i >= b.length) out.push(join(prefix, i));
      else differingPaths(a[i], b[i], join(prefix, i), out);
    }
  } else if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if (!(key in a) || !(key in b)) out.push(join(prefix, key));
      else differingPaths(a[key], b[key], join(prefix, key), out);
    }
  } else if (a !== b) {
    out.push(prefix);
  }
  return out;
}

/** `${aws_kms_key.k.arn}`, also inside functions; not data sources, variables or locals (the lookbehind skips "data.x.y"). */
const REFERENCE = /(?<![\w.])([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)\.([a-z_][a-z0-9_]*)/g;

function referencesIn(value: unknown, prefix: string, out: Reference[]): Reference[] {
  if (typeof value === 'string') {
    for (const expression of value.match(/\$\{[^}]*\}/g) ?? []) {
      for (const m of expression.matchAll(REFERENCE)) out.push({ path: prefix, target: `${m[1]}.${m[2]}`, attribute: m[3] });
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => referencesIn(v, join(prefix, i), out));
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) referencesIn(v, join(prefix, k), out);
  }
  return out;
}

/** lifecycle.ignore_changes: Terraform plans no update for these attributes ("all": none at all). */
function ignoredChanges(raw: Body): { all: boolean; paths: string[] } {
  const lifecycle = isObject(raw.lifecycle) ? raw.lifecycle : {};
  const ignore = lifecycle.ignore_changes;
  if (ignore === 'all') return { all: true, paths: [] };
  return { all: false, paths: Array.isArray(ignore) ? ignore.map(String) : [] };
}

function topOf(path: string): string {
  return path.split('.')[0];
}

function pathsOf(t: Tracked): string[] {
  return [...new Set([...t.literal, ...t.unknown.keys()])].sort();
}

function classify(t: Tracked): void {
  const paths = t.ignoreAll ? [] : pathsOf(t);
  const rule = FORCE_NEW[t.type];
  if (paths.length === 0) {
    t.action = 'none';
    t.forcing = [];
  } else if (!rule) {
    t.action = 'update';
    t.forcing = [];
  } else {
    t.forcing = paths.filter((p) => forcesNew(rule, p, { before: t.before[topOf(p)], after: t.after[topOf(p)] }));
    t.action = t.forcing.length > 0 ? 'replace' : 'update';
  }
}

/** Whether `attribute` of `target` will have a different value after the apply. */
function valueChanges(target: Tracked, attribute: string): boolean {
  if (target.action === 'none') return false;
  // An attribute the configuration sets keeps its configured value, even through a replacement.
  if (attribute in target.after) return pathsOf(target).some((p) => topOf(p) === attribute);
  if (target.action === 'replace') return true; // computed (id, arn, self_link, ...): new object, new value
  return (FORCE_NEW[target.type]?.computedOnUpdate ?? []).includes(attribute);
}

/**
 * Why the prediction for `t` may be wrong, or undefined. Replacements forced by known-after-apply
 * values are not doubtful in themselves (Terraform replaces whenever a force-new attribute is
 * unknown); they are doubtful when the resource they follow from is.
 */
function uncertainty(t: Tracked, tracked: Map<string, Tracked>, memo: Map<string, string | undefined>, raw: Map<string, { before: Body; after: Body }>): string | undefined {
  if (memo.has(t.address)) return memo.get(t.address);
  memo.set(t.address, undefined); // Terraform forbids reference cycles; this only guards the recursion.
  const notes: string[] = [];
  const rule = FORCE_NEW[t.type];
  if (!rule) notes.push(`replacement not predicted: ${t.type} is not in the force-new table`);
  else for (const note of new Set(pathsOf(t).map((p) => conditionalNote(rule, p)).filter((n): n is string => n !== undefined))) notes.push(note);
  const sources = [...new Set(t.unknown.values())].sort();
  for (const source of sources) {
    const s = tracked.get(source)!;
    if (s.action !== 'none' && uncertainty(s, tracked, memo, raw) !== undefined) notes.push(`follows from ${source}, whose prediction is uncertain`);
  }
  const r = raw.get(t.address)!;
  if (['count', 'for_each'].some((k) => k in r.before || k in r.after)) {
    notes.push('uses count or for_each: plan addresses carry an index, and instance changes are not predicted');
  }
  const result = notes.length > 0 ? notes.join('; ') : undefined;
  memo.set(t.address, result);
  return result;
}

/** Attribute values of a change set's resources, for risk assessment (policy documents, CIDR ranges, members). */
export function configValues(before: TerraformConfig | undefined, after: TerraformConfig | undefined): (address: string) => ResourceValues | undefined {
  const b = resourcesOf(before);
  const a = resourcesOf(after);
  return (address) => {
    const x = b.get(address);
    const y = a.get(address);
    if (!x && !y) return undefined;
    return { before: x && attributes(x.raw), after: y && attributes(y.raw) };
  };
}

export function computeChangeSet(stack: string, before: TerraformConfig | undefined, after: TerraformConfig | undefined): ChangeSet {
  const old = resourcesOf(before);
  const next = resourcesOf(after);
  const changes: ResourceChange[] = [];

  for (const [address, { type }] of next) if (!old.has(address)) changes.push({ address, type, action: 'create', paths: [] });
  for (const [address, { type }] of old) if (!next.has(address)) changes.push({ address, type, action: 'delete', paths: [] });

  const tracked = new Map<string, Tracked>();
  for (const [address, n] of next) {
    const o = old.get(address);
    if (!o) continue;
    const b = attributes(o.raw);
    const a = attributes(n.raw);
    const ignored = ignoredChanges(n.raw);
    const literal = differingPaths(b, a).filter((p) => !ignored.paths.some((i) => p === i || p.startsWith(`${i}.`)));
    const references = referencesIn(a, '', []).filter((r) => r.target !== address && !ignored.paths.some((i) => r.path === i || r.path.startsWith(`${i}.`)));
    tracked.set(address, { address, type: n.type, before: b, after: a, literal: new Set(literal), unknown: new Map(), references, ignoreAll: ignored.all, action: 'none', forcing: [] });
  }
  for (const t of tracked.values()) classify(t);

  // Follow known-after-apply values until nothing more changes; sets only grow, so this ends.
  for (let grew = true; grew; ) {
    grew = false;
    for (const t of tracked.values()) {
      for (const ref of t.references) {
        const target = tracked.get(ref.target);
        if (!target || t.unknown.has(ref.path) || !valueChanges(target, ref.attribute)) continue;
        t.unknown.set(ref.path, target.address);
        grew = true;
      }
    }
    for (const t of tracked.values()) classify(t);
  }

  const memo = new Map<string, string | undefined>();
  const raw = new Map([...tracked.keys()].map((address) => [address, { before: old.get(address)!.raw, after: next.get(address)!.raw }]));
  for (const t of tracked.values()) {
    if (t.action === 'none') continue;
    const uncertain = uncertainty(t, tracked, memo, raw);
    const knownAfterApply = [...t.unknown.keys()].sort();
    changes.push({
      address: t.address,
      type: t.type,
      action: t.action,
      paths: pathsOf(t),
      ...(t.action === 'replace' ? { replacePaths: [...t.forcing].sort() } : {}),
      ...(knownAfterApply.length > 0 ? { knownAfterApply } : {}),
      ...(uncertain ? { uncertain } : {}),
    });
  }

  changes.sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0));
  return { stack, changes, risks: assessRisks(changes, { values: configValues(before, after) }) };
}
