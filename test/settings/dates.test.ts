// Every date string the settings accept means exactly the calendar day and clock time it spells:
// Date.parse never rolls an accepted value over into another day, and every value it would roll
// over is refused. Checked over every combination fast-check draws, not a handful of examples.
import * as fc from 'fast-check';
import { dateProblem } from '../../settings/dates';

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

describe('dateProblem', () => {
  it('accepts a calendar date exactly when UTC has that day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1970, max: 2999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (year, month, day) => {
          const text = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
          const real = new Date(Date.UTC(year, month - 1, day));
          const exists =
            month >= 1 &&
            day >= 1 &&
            real.getUTCFullYear() === year &&
            real.getUTCMonth() === month - 1 &&
            real.getUTCDate() === day;
          expect(dateProblem(text) === undefined).toBe(exists);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('accepts a date-time exactly when it is a real instant, and it means the time it spells', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 61 }),
        fc.integer({ min: 0, max: 61 }),
        fc.constantFrom('Z', '+02:00', '-04:30', '+14:00', '+24:00', '-00:60'),
        (month, day, hour, minute, second, zone) => {
          const text = `2027-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${zone}`;
          const valid = hour <= 23 && minute <= 59 && second <= 59 && !['+24:00', '-00:60'].includes(zone);
          expect(dateProblem(text) === undefined).toBe(valid);
          if (valid) {
            const [sign, hh, mm] =
              zone === 'Z' ? ['+', '0', '0'] : [zone[0], zone.slice(1, 3), zone.slice(4)];
            const offset = (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm)) * 60_000;
            expect(Date.parse(text)).toBe(Date.UTC(2027, month - 1, day, hour, minute, second) - offset);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
