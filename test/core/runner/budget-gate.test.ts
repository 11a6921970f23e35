import { describe, expect, it } from 'vitest';
import { budgetBlock, inWindow, limitOfRefusal, mayResume, pauseFor } from '../../../electron/core/runner/budget-gate';
import type { BudgetStatus } from '../../../shared/contract';

function status(o: Partial<BudgetStatus> = {}): BudgetStatus {
  return {
    day: '2026-11-28', timeZone: 'UTC', limitMicros: 5_000_000, spentMicros: 0, reservedMicros: 0, tokenLimit: null, tokensToday: 0,
    percent: 0, thresholds: [50, 80, 100], crossed: [], policy: 'reject', resetsAt: '2026-11-29T00:00:00.000Z', state: 'ok', ...o,
  };
}
const task = { id: 't0123456789', costMicros: 0, capMicros: null };
const at = (iso: string) => Date.parse(iso);

describe('budgetBlock', () => {
  it('blocks when the daily budget, the token limit or the task cap is spent, and not before', () => {
    expect(budgetBlock(status({ spentMicros: 4_999_999 }), task)).toBeNull();
    expect(budgetBlock(status({ spentMicros: 5_000_000 }), task)).toBe('daily');
    expect(budgetBlock(status({ limitMicros: null, spentMicros: 9e9 }), task)).toBeNull();
    expect(budgetBlock(status({ tokenLimit: 100, tokensToday: 100 }), task)).toBe('tokens');
    expect(budgetBlock(status(), { ...task, costMicros: 10, capMicros: 10 })).toBe('cap');
  });
});

describe('mayResume', () => {
  const spent = status({ spentMicros: 5_000_000 });
  const pause = pauseFor('daily', spent, task, '2026-11-28T15:00:00.000Z');

  it('waits while the budget is spent, and goes when it is raised', () => {
    expect(mayResume(pause, spent, task, null, at('2026-11-28T16:00:00Z')).ok).toBe(false);
    expect(mayResume(pause, status({ limitMicros: 10_000_000, spentMicros: 5_000_000 }), task, null, at('2026-11-28T16:00:00Z'))).toEqual({ ok: true, why: 'the budget was raised' });
    expect(mayResume(pause, status({ limitMicros: null, spentMicros: 5_000_000 }), task, null, at('2026-11-28T16:00:00Z')).ok).toBe(true);
  });

  it('does not retry on the same day just because a little budget is left (the refusal would repeat)', () => {
    const refused = pauseFor('daily', status({ spentMicros: 4_900_000 }), task, '2026-11-28T15:00:00.000Z', 'Sluice: this request could cost up to $1.70, more than the $0.10 left');
    expect(refused.message).toContain('could cost up to $1.70');
    expect(mayResume(refused, status({ spentMicros: 4_900_000 }), task, null, at('2026-11-28T16:00:00Z'))).toEqual({ ok: false, why: 'waiting for the budget to reset' });
  });

  it('goes after the reset, or with an off-peak window set, only inside the window', () => {
    const nextDay = status({ day: '2026-11-29', spentMicros: 0 });
    expect(mayResume(pause, nextDay, task, null, at('2026-11-29T00:00:01Z'))).toEqual({ ok: true, why: 'the budget reset' });
    const window = { start: '22:00', end: '07:00' };
    expect(mayResume(pause, nextDay, task, window, at('2026-11-29T06:59:00Z')).ok).toBe(true);
    expect(mayResume(pause, nextDay, task, window, at('2026-11-29T09:00:00Z'))).toEqual({ ok: false, why: 'waiting for the off-peak window (22:00–07:00)' });
  });

  it('resumes a task stopped by its cap only when the cap is raised', () => {
    const capped = { ...task, costMicros: 10_000, capMicros: 10_000 };
    const p = pauseFor('cap', status(), capped, '2026-11-28T15:00:00.000Z');
    expect(p.message).toContain('sluice resume t0123456789 --cap-usd N');
    expect(mayResume(p, status({ limitMicros: null }), capped, null, at('2026-11-29T01:00:00Z')).ok).toBe(false);
    expect(mayResume(p, status(), { ...capped, capMicros: 20_000 }, null, at('2026-11-28T16:00:00Z'))).toEqual({ ok: true, why: 'the cap was raised' });
  });
});

describe('inWindow', () => {
  it('handles windows that wrap midnight, in the budget time zone', () => {
    const w = { start: '22:00', end: '07:00' };
    expect(inWindow(at('2026-11-28T23:30:00Z'), w, 'UTC')).toBe(true);
    expect(inWindow(at('2026-11-28T07:00:00Z'), w, 'UTC')).toBe(false);
    expect(inWindow(at('2026-11-28T12:00:00Z'), { start: '09:00', end: '17:00' }, 'UTC')).toBe(true);
    // 21:30 UTC is 22:30 in Paris (winter).
    expect(inWindow(at('2026-11-28T21:30:00Z'), w, 'Europe/Paris')).toBe(true);
    expect(inWindow(at('2026-11-28T21:30:00Z'), w, 'UTC')).toBe(false);
  });
});

describe('limitOfRefusal', () => {
  it('names the limit the gateway refused for', () => {
    expect(limitOfRefusal('Sluice: the daily token limit of 1,000 tokens is used up; …')).toBe('tokens');
    expect(limitOfRefusal('Sluice: the daily cap of $0.01 for agent "task-t1" is spent …')).toBe('cap');
    expect(limitOfRefusal('Sluice: the daily budget of $5.00 is spent; …')).toBe('daily');
  });
});
