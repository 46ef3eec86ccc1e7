/** A command's main output: on stdout, or with `--out FILE` into that file (atomically). */
import { realpathSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { writeFileAtomically, WriteRefusedError } from '../files/atomic-write';
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
 * Prints `text` on stdout, or writes it to `file` (`-` is stdout), ending in one newline either
 * way, and says so. Default file: the command's --out option.
 */
export function writeOutput(ctx: CommandContext, text: string, file = ctx.options.out as string | undefined, opts: { intoInputs?: boolean } = {}): void {
  if (file === undefined || file === '-') {
    ctx.out(text.replace(/\n$/, ''));
    return;
  }
  const path = resolve(ctx.cwd, file);
  if (!opts.intoInputs) refuseInputFolder(ctx, path, '--out');
  writeFileAtomically(path, text.endsWith('\n') ? text : `${text}\n`);
  ctx.out(`wrote ${showPath(ctx.cwd, path)}`);
}
