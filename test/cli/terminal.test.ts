/**
 * On a person's terminal (a pseudo-terminal from util-linux `script`): progress bars and colors;
 * in CI, with --no-color or NO_COLOR, none of it. (In pipes there is none either: every other
 * CLI test reads stderr from a pipe and finds it empty.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BIN, plainEnv, scratchRepo } from './built-cli';

const SCRIPT = '/usr/bin/script';
const ESC = '\u001b[';

/** What a terminal shows for `fleet args...` (stdout and stderr both go to the pty). */
function onTerminal(cwd: string, args: string[], env: NodeJS.ProcessEnv = plainEnv()): string {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
  const r = spawnSync(SCRIPT, ['-qec', command, '/dev/null'], { cwd, env, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return r.stdout;
}

(existsSync(SCRIPT) ? describe : describe.skip)('on a terminal', () => {
  test('synth draws a progress bar over the stacks; with CI set it does not', () => {
    const dir = scratchRepo();
    const shown = onTerminal(dir, ['synth', '--at', '2026-11-27']);
    // The bar redraws at most 10 times a second, so which counts show depends on the machine's speed.
    expect(shown).toMatch(/synth \[[^\]]+\] [1-5]\/6 [a-z-]+/);
    expect(shown).toContain('synthesized 6 stack(s) into cdktf.out');
    const ci = onTerminal(dir, ['synth', '--at', '2026-11-27'], plainEnv({ CI: 'true' }));
    expect(ci).not.toContain('synth [');
    expect(ci).not.toContain(ESC);
    expect(ci).toContain('synthesized 6 stack(s) into cdktf.out');
  });

  test('errors are red on a terminal; --no-color and NO_COLOR turn colors off', () => {
    const dir = scratchRepo();
    expect(onTerminal(dir, ['synth', '-x'])).toContain(`${ESC}31merror: unknown option '-x'`);
    const plain = onTerminal(dir, ['--no-color', 'synth', '-x']);
    expect(plain).toContain("error: unknown option '-x'");
    expect(plain).not.toContain(ESC);
    expect(onTerminal(dir, ['synth', '-x', '--no-color'])).not.toContain(ESC);
    expect(onTerminal(dir, ['synth', '-x'], plainEnv({ NO_COLOR: '1' }))).not.toContain(ESC);
  });
});
