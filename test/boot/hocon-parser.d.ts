declare module '@pushcorn/hocon-parser' {
  /** Parses HOCON text; substitutions fall back to process.env. */
  export function parse(options: { text: string; strict?: boolean }): Promise<unknown>;
}
