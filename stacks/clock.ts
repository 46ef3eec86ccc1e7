/**
 * The one place "now" comes from. Time-dependent decisions (an access grant past its expiry,
 * which upgrades are due) take a Clock, so tests and `--at` fix the date and output is
 * reproducible.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date | string): Clock {
  const date = typeof at === 'string' ? new Date(at.length === 10 ? `${at}T00:00:00Z` : at) : at;
  if (Number.isNaN(date.getTime())) throw new Error(`fixedClock: "${String(at)}" is not a date; use YYYY-MM-DD`);
  return { now: () => new Date(date.getTime()) };
}

/** FLEET_NOW=YYYY-MM-DD pins the clock for `cdktf synth`, which takes no arguments. */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): Clock {
  return env.FLEET_NOW ? fixedClock(env.FLEET_NOW) : systemClock;
}
