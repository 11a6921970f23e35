import { describe, expect, it } from 'vitest';
import { decideAdmission, crossedThresholds, budgetState, refusalMessage } from '../../shared/budget';

const load = { spentMicros: 0, reservedMicros: 0, tokens: 0, reservedTokens: 0, agentSpentMicros: 0, agentReservedMicros: 0 };
const limits = { dailyLimitMicros: 1_000_000, dailyTokenLimit: null, agentCapMicros: null };

describe('decideAdmission', () => {
  it('admits a request whose worst case fits beside settled spend and open reservations', () => {
    expect(decideAdmission(400_000, 10, limits, { ...load, spentMicros: 300_000, reservedMicros: 300_000 })).toEqual({ admit: true });
  });
  it('refuses a reservation that would cross the daily limit', () => {
    const d = decideAdmission(400_001, 10, limits, { ...load, spentMicros: 300_000, reservedMicros: 300_000 });
    expect(d).toMatchObject({ admit: false, scope: 'daily', committed: 600_000 });
  });
  it('refuses over an agent cap even when the day has room', () => {
    const d = decideAdmission(10, 1, { ...limits, agentCapMicros: 100 }, { ...load, agentSpentMicros: 95 });
    expect(d).toMatchObject({ admit: false, scope: 'agent' });
  });
  it('refuses over the token limit', () => {
    const d = decideAdmission(0, 501, { ...limits, dailyTokenLimit: 1000 }, { ...load, tokens: 500 });
    expect(d).toMatchObject({ admit: false, scope: 'tokens' });
  });
  it('admits anything when no limit is set', () => {
    expect(decideAdmission(1e12, 1e9, { dailyLimitMicros: null, dailyTokenLimit: null, agentCapMicros: null }, load)).toEqual({ admit: true });
  });
});

describe('thresholds', () => {
  it('reports each threshold exactly when spend first reaches it', () => {
    expect(crossedThresholds(400_000, 850_000, 1_000_000, [50, 80, 95, 100])).toEqual([50, 80]);
    expect(crossedThresholds(850_000, 900_000, 1_000_000, [50, 80, 95, 100])).toEqual([]);
    expect(crossedThresholds(0, 1_000_000, 1_000_000, [100])).toEqual([100]);
  });
  it('maps percent to a gauge state', () => {
    expect(budgetState(10, [50, 80, 95, 100])).toBe('ok');
    expect(budgetState(85, [50, 80, 95, 100])).toBe('warning');
    expect(budgetState(96, [50, 80, 95, 100])).toBe('critical');
    expect(budgetState(100, [50, 80, 95, 100])).toBe('exhausted');
  });
});

describe('refusalMessage', () => {
  it('says what is spent and when it resets, for a person', () => {
    const now = Date.parse('2026-11-28T19:48:00Z');
    const m = refusalMessage(
      { admit: false, scope: 'daily', limit: 5_000_000, committed: 5_000_000, requested: 20_000 },
      { nowMs: now, resetsAtMs: Date.parse('2026-11-28T23:00:00Z'), timeZone: 'Europe/Paris' },
    );
    expect(m).toContain('Sluice: the daily budget of $5.00 is spent; it resets at 00:00 Europe/Paris (in 3 h 12 min)');
  });
});
