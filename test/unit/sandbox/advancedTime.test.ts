import { advancedTime } from '../../../src/sandbox/sandbox';

describe('the sandbox time panel', () => {
  const tz = 'Europe/Berlin';
  it('moves one business hour, skipping nights and weekends', () => {
    expect(advancedTime(new Date('2026-12-02T10:00:00Z'), 'hour', tz).toISOString()).toBe('2026-12-02T11:00:00.000Z');
    // Friday 16:30 Berlin (15:30Z) + 1 business hour = Monday 09:30 Berlin.
    expect(advancedTime(new Date('2026-12-04T15:30:00Z'), 'hour', tz).toISOString()).toBe('2026-12-07T08:30:00.000Z');
  });
  it('moves one business day', () => {
    expect(advancedTime(new Date('2026-12-04T10:00:00Z'), 'day', tz).toISOString()).toBe('2026-12-07T10:00:00.000Z');
  });
  it('moves to the coming Monday 09:00 in the zone (a week on once Monday 09:00 has passed)', () => {
    expect(advancedTime(new Date('2026-12-02T10:00:00Z'), 'monday', tz).toISOString()).toBe('2026-12-07T08:00:00.000Z');
    expect(advancedTime(new Date('2026-12-07T07:00:00Z'), 'monday', tz).toISOString()).toBe('2026-12-07T08:00:00.000Z');
    expect(advancedTime(new Date('2026-12-06T23:30:00Z'), 'monday', tz).toISOString()).toBe('2026-12-07T08:00:00.000Z');
    expect(advancedTime(new Date('2026-12-07T08:00:00Z'), 'monday', tz).toISOString()).toBe('2026-12-14T08:00:00.000Z');
    expect(advancedTime(new Date('2027-03-25T10:00:00Z'), 'monday', tz).toISOString()).toBe('2027-03-29T07:00:00.000Z');
  });
});
