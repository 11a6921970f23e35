import { describe, expect, it } from 'vitest';
import { budgetDay, nextReset, localHour, formatDuration, inWindow } from '../../shared/budget-day';

describe('the budget day', () => {
  it('is the local calendar day of the configured time zone', () => {
    const t = Date.parse('2026-11-28T23:30:00Z');
    expect(budgetDay(t, 'UTC')).toBe('2026-11-28');
    expect(budgetDay(t, 'Europe/Paris')).toBe('2026-11-29');
    expect(budgetDay(t, 'America/Los_Angeles')).toBe('2026-11-28');
  });

  it('resets at the next local midnight', () => {
    const t = Date.parse('2026-11-28T20:48:00Z'); // 21:48 in Paris
    expect(new Date(nextReset(t, 'Europe/Paris')).toISOString()).toBe('2026-11-28T23:00:00.000Z');
  });

  it('lasts 23 hours on the spring DST day and still resets at local midnight', () => {
    // Europe/Paris springs forward on 2026-03-29 at 02:00 local.
    const startOfDay = Date.parse('2026-03-28T23:00:00Z');
    const reset = nextReset(startOfDay + 60_000, 'Europe/Paris');
    expect(new Date(reset).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(reset - startOfDay).toBe(23 * 3600_000);
    expect(budgetDay(reset - 1, 'Europe/Paris')).toBe('2026-03-29');
    expect(budgetDay(reset, 'Europe/Paris')).toBe('2026-03-30');
  });

  it('lasts 25 hours on the autumn DST day', () => {
    // America/New_York falls back on 2026-11-01 at 02:00 local.
    const startOfDay = Date.parse('2026-11-01T04:00:00Z');
    const reset = nextReset(startOfDay + 3600_000, 'America/New_York');
    expect(reset - startOfDay).toBe(25 * 3600_000);
    expect(localHour(reset, 'America/New_York')).toBe(0);
  });

  it('finds the first minute of a day whose midnight does not exist', () => {
    // America/Santiago springs forward at 00:00 → 01:00 (2026-09-06).
    const t = Date.parse('2026-09-05T20:00:00Z');
    const reset = nextReset(t, 'America/Santiago');
    expect(budgetDay(reset, 'America/Santiago')).toBe('2026-09-06');
    expect(budgetDay(reset - 60_000, 'America/Santiago')).toBe('2026-09-05');
  });

  it('formats waits in hours and minutes', () => {
    expect(formatDuration((3 * 60 + 12) * 60_000)).toBe('3 h 12 min');
    expect(formatDuration(45 * 60_000)).toBe('45 min');
    expect(formatDuration(0)).toBe('under a minute');
  });

  it('knows whether an instant is inside an off-peak window that wraps midnight', () => {
    const w = { start: '22:00', end: '07:00' };
    expect(inWindow(Date.parse('2026-11-28T23:30:00Z'), 'UTC', w)).toBe(true);
    expect(inWindow(Date.parse('2026-11-28T06:59:00Z'), 'UTC', w)).toBe(true);
    expect(inWindow(Date.parse('2026-11-28T12:00:00Z'), 'UTC', w)).toBe(false);
  });
});
