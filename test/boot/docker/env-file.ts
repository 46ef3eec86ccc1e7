/**
 * Docker's `--env-file` parser (docker/cli opts/file.go `parseKeyValueFile`, app-contracts.md
 * §10.4): line by line, no multi-line values, split at the first "=", value untouched, a bare
 * NAME copies the variable from the docker CLI's own environment.
 */

export interface EnvFileResult {
  readonly env: ReadonlyMap<string, string>;
  /** What docker would refuse (it then starts nothing). */
  readonly errors: readonly string[];
  /** Lines docker accepts but that cannot mean what the author meant. */
  readonly suspicious: readonly string[];
}

export function parseEnvFile(file: string, content: Buffer, cliEnv: Readonly<Record<string, string>>): EnvFileResult {
  const env = new Map<string, string>();
  const errors: string[] = [];
  const suspicious: string[] = [];
  let text = content.toString('utf8');
  if (Buffer.compare(Buffer.from(text, 'utf8'), content) !== 0) errors.push(`${file}: invalid UTF-8`);
  if (text.startsWith('\ufeff')) text = text.slice(1);
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, n) => {
    const at = `${file} line ${n + 1}`;
    if (Buffer.byteLength(raw) > 64 * 1024) errors.push(`${at}: longer than 64 KiB (bufio.Scanner: token too long)`);
    const line = raw.replace(/^[ \t\r\n\v\f]+/, '');
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const name = eq < 0 ? line : line.slice(0, eq);
    if (name === '') {
      errors.push(`${at}: no variable name`);
      return;
    }
    if (/[ \t]/.test(name)) {
      errors.push(`${at}: variable '${name.length > 40 ? `${name.slice(0, 40)}...` : name}' contains whitespaces`);
      return;
    }
    if (eq < 0) {
      // Docker copies it from its own environment, or drops it; a continuation line of a multi-line value lands here.
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) suspicious.push(`${at}: "${name.slice(0, 20)}..." is not a variable name: the rest of a multi-line value`);
      if (cliEnv[name] !== undefined) env.set(name, cliEnv[name]);
      return;
    }
    const value = line.slice(eq + 1);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) suspicious.push(`${at}: "${name}" is not a shell-style variable name`);
    if (/^(".*"|'.*')$/.test(value) && value.length >= 2) suspicious.push(`${at}: ${name}'s value is quoted; docker keeps the quotes as part of the value`);
    env.set(name, value);
  });
  return { env, errors, suspicious };
}
