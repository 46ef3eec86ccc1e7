/**
 * The one renderer from a typed config object to the text an app reads. The output is JSON,
 * which every app's HOCON reader also reads: every key and every value is a quoted JSON string
 * (or a number or boolean), so a customer setting can neither add a key, nor use a HOCON
 * substitution or include, nor put a line break into the file (which could end a heredoc in the
 * boot script). A boot value becomes a quoted placeholder that the boot script replaces with the
 * quoted value it obtains on the VM.
 */
import { isBootValue, type ConfigFile, type ConfigObject, type ConfigValue } from './contract';

const MARK = '@@BOOT_';

/** The exact text a boot value stands as in a rendered file, quotes included. */
export function bootPlaceholder(variable: string): string {
  return `"${MARK}${variable}@@"`;
}

function fail(where: string, why: string): never {
  throw new Error(`config ${where}: ${why}`);
}

function renderValue(v: ConfigValue, indent: string, where: string, boots: Set<string>): string {
  if (typeof v === 'string') {
    if (v.includes(MARK)) fail(where, `the value contains "${MARK}", which is reserved for boot values; remove it`);
    return JSON.stringify(v);
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) fail(where, `${v} is not a finite number`);
    return String(v);
  }
  if (typeof v === 'boolean') return String(v);
  // A customer enrichment's JSON may hold null (parsed from the file, outside the typed union).
  if ((v as unknown) === null) return 'null';
  if (isBootValue(v)) {
    boots.add(v.boot);
    return bootPlaceholder(v.boot);
  }
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x, i) => inner + renderValue(x as ConfigValue, inner, `${where}[${i}]`, boots)).join(',\n')}\n${indent}]`;
  }
  const obj = v as ConfigObject;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
  if (keys.length === 0) return '{}';
  const lines = keys.map((k) => `${inner}${JSON.stringify(k)}: ${renderValue(obj[k]!, inner, where ? `${where}.${k}` : k, boots)}`);
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

export interface RenderedFile {
  readonly path: string;
  readonly text: string;
  /** Boot variables the text holds placeholders for. */
  readonly bootVariables: readonly string[];
}

export function renderConfigFile(file: ConfigFile): RenderedFile {
  if (!/^[a-z0-9][a-z0-9_.-]*(\/[a-z0-9][a-z0-9_.-]*)?$/.test(file.path) || file.path.includes('..')) {
    throw new Error(`config file "${file.path}" must be a plain relative path (at most one folder), e.g. enrichments/campaigns.json`);
  }
  const boots = new Set<string>();
  const text = `${renderValue(file.content, '', '', boots)}\n`;
  return { path: file.path, text, bootVariables: [...boots].sort() };
}

/** The typed object back from a rendered file with its placeholders filled: used by tests and by the README table. */
export function fillPlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/"@@BOOT_([A-Z][A-Z0-9_]*)@@"/g, (_m, name: string) => {
    if (!(name in values)) throw new Error(`no value for boot variable ${name}`);
    return JSON.stringify(values[name]);
  });
}
