// Dates in a settings document (an exemption's `expires`): a calendar date, `2027-01-31` (the
// exemption holds to the end of that day, UTC), or an instant, `2027-01-31T18:00:00Z` or with an
// offset, `2027-01-31T20:00:00+02:00` (RFC 3339; seconds and fractions optional). A date-time
// without `Z` or an offset is refused: it would mean a different instant on a laptop and in
// Lambda. Every part must exist on the calendar and the clock — `2027-13-45`, `2027-02-30` and
// `T25:61` are refused, never rolled over into another day by Date.parse.
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

const daysIn = (year: number, month: number) =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31;

/** Why `text` is not a date or date-time as above, or undefined when it is one. */
export function dateProblem(text: string): string | undefined {
  const match = DATE.exec(text) ?? DATE_TIME.exec(text);
  if (!match) {
    return /^\d{4}-\d{2}-\d{2}T/.test(text)
      ? 'expected a date-time with Z or an offset, like 2027-01-31T18:00:00Z'
      : 'expected a date like 2027-01-31 (or a date-time like 2027-01-31T18:00:00Z)';
  }
  const part = (index: number) => Number(match[index] ?? 0);
  const [year, month, day, hour, minute, second] = [part(1), part(2), part(3), part(4), part(5), part(6)];
  if (month < 1 || month > 12) return `${text} has no month ${match[2]}`;
  if (day < 1 || day > daysIn(year, month)) return `${text} is not a day of the calendar`;
  if (hour > 23 || minute > 59 || second > 59) return `${text} is not a time of day`;
  const [offsetHours, offsetMinutes] = [Number(match[9] ?? 0), Number(match[10] ?? 0)];
  if (offsetHours > 23 || offsetMinutes > 59) return `${text} has no such UTC offset`;
  // What reads it (pipeline/remediate/guards.ts) uses Date.parse: it must read the same instant.
  if (Number.isNaN(Date.parse(match[4] === undefined ? `${text}T00:00:00Z` : text)))
    return `${text} cannot be read as an instant`;
  return undefined;
}
