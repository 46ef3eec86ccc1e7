/** A command's main output: on stdout, or with `--out FILE` into that file (atomically). */
import { resolve } from 'node:path';
import { writeFileAtomically } from '../files/atomic-write';
import { showPath, type CommandContext } from './command';

/**
 * Prints `text` on stdout, or writes it to `file` (`-` is stdout), ending in one newline either
 * way, and says so. Default file: the command's --out option.
 */
export function writeOutput(ctx: CommandContext, text: string, file = ctx.options.out as string | undefined): void {
  if (file === undefined || file === '-') {
    ctx.out(text.replace(/\n$/, ''));
    return;
  }
  const path = resolve(ctx.cwd, file);
  writeFileAtomically(path, text.endsWith('\n') ? text : `${text}\n`);
  ctx.out(`wrote ${showPath(ctx.cwd, path)}`);
}
