import { describe, expect, it } from 'vitest';
import { parseDateTime } from './date-time.js';

const local = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => new Date(y, mo - 1, d, h, mi, s);

describe('parseDateTime', () => {
  it('reads ISO 8601 with a zone as that instant', () => {
    expect(parseDateTime('2025-07-22T13:00:00Z')?.toISOString()).toBe('2025-07-22T13:00:00.000Z');
    expect(parseDateTime('2025-07-22T13:00:00.25+02:00')?.toISOString()).toBe('2025-07-22T11:00:00.250Z');
    expect(parseDateTime('2025-07-22T13:00-0530')?.toISOString()).toBe('2025-07-22T18:30:00.000Z');
  });

  it('reads ISO 8601 without a zone, and a date alone, as local time', () => {
    expect(parseDateTime('2025-07-22T13:00:00')).toEqual(local(2025, 7, 22, 13));
    expect(parseDateTime('2025-07-22 13:05')).toEqual(local(2025, 7, 22, 13, 5));
    expect(parseDateTime(' 2025-07-22 ')).toEqual(local(2025, 7, 22));
  });

  it('reads the US form Lync examples use, with or without AM/PM', () => {
    expect(parseDateTime('7/22/2015 1:00:00 PM')).toEqual(local(2015, 7, 22, 13));
    expect(parseDateTime('7/22/2015 12:30:00 AM')).toEqual(local(2015, 7, 22, 0, 30));
    expect(parseDateTime('7/22/2015 12:30 pm')).toEqual(local(2015, 7, 22, 12, 30));
    expect(parseDateTime('07/02/2015 23:59:59')).toEqual(local(2015, 7, 2, 23, 59, 59));
    expect(parseDateTime('7/22/2015')).toEqual(local(2015, 7, 22));
  });

  it('refuses what is no date, or no real one', () => {
    for (const text of [
      '',
      'tomorrow',
      '22/7/2015',
      '2015-02-29',
      '2024-13-01',
      '7/22/2015 13:00 PM',
      '7/22/2015 0:00 AM',
      '2025-07-22T24:00:00Z',
      '2025-07-22T13:00:00+25:00',
      '1753000000',
      '2025-07-22T13',
    ]) {
      expect(parseDateTime(text), text).toBeUndefined();
    }
    expect(parseDateTime('2024-02-29')).toEqual(local(2024, 2, 29));
  });
});
