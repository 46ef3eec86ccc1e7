/**
 * The customer schema's date check against the JavaScript calendar, over every month and day
 * field (00-13, 00-32) of the years where leap rules differ.
 */
import { isCalendarDate } from '../../customers/schema';

const YEARS = [0, 1, 4, 1900, 1999, 2000, 2024, 2026, 2027, 2100, 2400, 9999];
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const byDate = (s: string) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

test('a YYYY-MM-DD is a calendar date exactly when the JavaScript calendar has that day', () => {
  let real = 0;
  for (const y of YEARS) {
    for (let m = 0; m <= 13; m++) {
      for (let d = 0; d <= 32; d++) {
        const s = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
        expect([s, isCalendarDate(s)]).toEqual([s, byDate(s)]);
        if (byDate(s)) real++;
      }
    }
  }
  // Each year has 365 days and a leap year one more: the oracle itself is not vacuous.
  expect(real).toBe(YEARS.length * 365 + YEARS.filter((y) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)).length);
});
