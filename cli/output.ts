/** A command's main output: on stdout, or with `--out FILE` into that file (atomically). */
import { realpathSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { HEAD_BYTES, writeFilesAtomically, WriteRefusedError, type FileToWrite, type OutputGuard } from '../files/atomic-write';
import type { FileText } from '../files/write-journal';
import { inputFolders, showPath, type CommandContext } from './command';

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(real(parent), path.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
  }
}

/**
 * Reports and plans never go into the folders fleet reads its inputs from (a plan.json among the
 * customer files would be read as one); only `rollout apply` and `schema` write there, by design.
 */
export function refuseInputFolder(ctx: CommandContext, path: string, option: string): void {
  const target = real(resolve(ctx.cwd, path));
  for (const folder of inputFolders(ctx.cwd, ctx.options)) {
    const guarded = real(folder.path);
    if (target.startsWith(guarded + sep)) {
      throw new WriteRefusedError(`${option} ${showPath(ctx.cwd, path)} is inside ${showPath(ctx.cwd, guarded)} (${folder.holds}); write it elsewhere`);
    }
  }
}

/**
 * What fleet writes into a file the user names, each recognised by how it always begins. An
 * existing --out or --md file is replaced only when it begins as the new output does (fleet's
 * previous output of the same kind), so `--out package.json` or `--md README.md` is refused.
 */
const OUTPUT_KINDS: readonly { readonly kind: string; readonly begins: RegExp }[] = [
  { kind: 'an upgrade plan (JSON)', begins: /^\{"generatedFor":"[^"\n]+","summary":\{"environments":\d+,/ },
  { kind: 'an upgrade plan (text)', begins: /^Upgrade plan for \S+\n\d+ environment\(s\): / },
  { kind: 'an upgrade plan (Markdown)', begins: /^# Upgrade plan for \S+\n\n\d+ environment\(s\): / },
  { kind: 'a rollout status (JSON)', begins: /^\{\n {2}"plan": (?:null,\n {2}"waves": |\{\n {4}"generatedFor": )/ },
  { kind: 'a rollout status (text)', begins: /^(?:no rollout in [^\n]+\nnext: |Rollout of the plan for \S+ \([^)\n]*\), state )/ },
  { kind: 'a list of affected stacks (JSON)', begins: /^\{(?:"base":(?:null|"[^"\n]*"),)?"all":(?:true|false),"allReasons":\[/ },
  { kind: 'a list of affected stacks (text)', begins: /^\d+ affected stack\(s\)/ },
  { kind: 'a catalog import proposal (JSON)', begins: /^\{\n {2}"component": "[^"\n]*",\n {2}"added": \[/ },
  { kind: 'a catalog import proposal (text)', begins: /^[^\n]+: \d+ new release\(s\), \d+ advisory addition\(s\), \d+ severity change\(s\), \d+ conflict\(s\), / },
  { kind: 'a Terraform plan review (Markdown)', begins: /^## Terraform plan review\n\n/ },
  { kind: 'a merge prediction (JSON)', begins: /^\{\n {2}"kind": "merge-prediction",\n {2}"waves": \[/ },
  {
    kind: 'the customer JSON schema',
    begins: /^\{\n {2}"\$schema": "https:\/\/json-schema\.org\/draft\/2020-12\/schema",\n {2}"anyOf": \[\n {4}\{\n {6}"type": "object",\n {6}"properties": \{\n {8}"\$schema": \{/,
  },
];

/** The kind of output a text begins as; undefined for none of fleet's. */
export function outputKind(head: string): string | undefined {
  return OUTPUT_KINDS.find((k) => k.begins.test(head))?.kind;
}

/** The first HEAD_BYTES characters of a text, and the text whole again (pieces are read once). */
function peek(text: FileText): { head: string; text: FileText } {
  if (typeof text === 'string') return { head: text.slice(0, HEAD_BYTES), text };
  const iterator = text[Symbol.iterator]();
  const first: string[] = [];
  let length = 0;
  let done = false;
  while (length < HEAD_BYTES) {
    const next = iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    first.push(next.value);
    length += next.value.length;
  }
  function* all(): Generator<string> {
    yield* first;
    if (!done) for (let next = iterator.next(); !next.done; next = iterator.next()) yield next.value;
  }
  return { head: first.join('').slice(0, HEAD_BYTES), text: all() };
}

export interface OutputFile {
  /** As the user gave it, relative to the working directory. */
  readonly file: string;
  /** The option that named it, for messages: "--out". */
  readonly option: string;
  readonly text: FileText;
}

/**
 * Writes files the user named with --out or --md, all or none (files/atomic-write.ts), after
 * refusing an input folder and any existing file that is not fleet's output of the same kind
 * (unless --force); returns the absolute paths written.
 */
export function writeOutputFiles(ctx: CommandContext, files: readonly OutputFile[], opts: { intoInputs?: boolean } = {}): string[] {
  const writes: FileToWrite[] = files.map((f) => {
    if (f.file === '') throw new WriteRefusedError(`${f.option} was given an empty path; give a file path (or - for standard output)`);
    const path = resolve(ctx.cwd, f.file);
    if (!opts.intoInputs) refuseInputFolder(ctx, path, f.option);
    const { head, text } = peek(f.text);
    const kind = outputKind(head);
    // An output of no kind listed above cannot be recognised: an existing file is then never replaced without --force.
    const guard: OutputGuard = {
      kind: kind ?? 'output of this kind',
      label: `${f.option} ${showPath(ctx.cwd, path)}`,
      force: ctx.options.force === true,
      recognises: (existing) => kind !== undefined && outputKind(existing) === kind,
    };
    return { path, text, guard };
  });
  writeFilesAtomically(writes);
  return writes.map((w) => w.path);
}

/**
 * Prints `text` on stdout, or writes it to `file` (`-` is stdout), ending in one newline either
 * way, and says so. Default file: the command's --out option.
 */
export function writeOutput(ctx: CommandContext, text: string, file = ctx.options.out as string | undefined, opts: { intoInputs?: boolean } = {}): void {
  if (file === undefined || file === '-') {
    ctx.out(text.replace(/\n$/, ''));
    return;
  }
  const [path] = writeOutputFiles(ctx, [{ file, option: '--out', text: text.endsWith('\n') ? text : `${text}\n` }], opts);
  ctx.out(`wrote ${showPath(ctx.cwd, path)}`);
}
