/** fleet's exit codes, the same for every command (CI scripts branch on them). */
export const EXIT = {
  /** Done, or nothing to do. */
  ok: 0,
  /** Bad input or usage; nothing was written. */
  input: 1,
  /** A safety gate said no: review found a blocking change, rollout refused or halted a wave. */
  gate: 2,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  done (or nothing to do)
  1  bad input or usage: nothing was written
  2  a safety gate said no (review found a blocking change; rollout refused or halted a wave)`;
