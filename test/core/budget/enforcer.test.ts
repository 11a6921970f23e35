import { describe, expect, it, beforeEach } from 'vitest';
import { openLedger, type Db } from '../../../electron/core/ledger/db';
import { SettingsStore } from '../../../electron/core/ledger/settings-store';
import { BudgetEnforcer, type SettledRequest } from '../../../electron/core/budget/enforcer';
import { EventBus } from '../../../electron/core/events';
import { settledRequest } from './support';
import type { CoreEvent } from '../../../shared/contract';

function settled(cost: number, over: Partial<SettledRequest> = {}): SettledRequest {
  return settledRequest(clockNow, cost, over);
}

let clockNow = Date.parse('2026-11-28T12:00:00Z');
let db: Db;
let settings: SettingsStore;
let events: EventBus;
let seen: CoreEvent[];
let enforcer: BudgetEnforcer;

beforeEach(() => {
  clockNow = Date.parse('2026-11-28T12:00:00Z');
  db = openLedger(':memory:');
  settings = new SettingsStore(db, 'Europe/Paris');
  events = new EventBus();
  seen = [];
  events.subscribe((e) => seen.push(e));
  enforcer = new BudgetEnforcer(db, settings, { now: () => clockNow }, events);
  settings.update({ dailyBudgetUsd: 1 });
});

describe('BudgetEnforcer', () => {
  it('reserves the worst case and refuses what would cross the limit while it is held', () => {
    const a = enforcer.admit({ agentId: null, amountMicros: 700_000, tokens: 100 });
    expect(a.ok).toBe(true);
    const b = enforcer.admit({ agentId: null, amountMicros: 400_000, tokens: 100 });
    expect(b.ok).toBe(false);
    if (!b.ok) {
      expect(b.message).toContain('daily budget of $1.00');
      expect(b.retryAfterSeconds).toBeGreaterThan(0);
    }
  });

  it('frees the unused part of a reservation when the request settles for less', () => {
    const a = enforcer.admit({ agentId: null, amountMicros: 700_000, tokens: 100 });
    if (!a.ok) throw new Error('not admitted');
    enforcer.settle(a.reservation, settled(100_000));
    expect(enforcer.status()).toMatchObject({ spentMicros: 100_000, reservedMicros: 0 });
    expect(enforcer.admit({ agentId: null, amountMicros: 900_000, tokens: 100 }).ok).toBe(true);
  });

  it('never lets settled spend pass the limit, whatever order concurrent requests settle in', () => {
    let rng = 42;
    const random = () => ((rng = (rng * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 30; round++) {
      const open = [];
      for (let i = 0; i < 50; i++) {
        const worst = Math.round(5_000 + random() * 60_000);
        const a = enforcer.admit({ agentId: null, amountMicros: worst, tokens: 10 });
        if (a.ok) open.push({ r: a.reservation, actual: Math.round(worst * random()) });
      }
      open.sort(() => random() - 0.5);
      for (const o of open) enforcer.settle(o.r, settled(o.actual));
      expect(enforcer.status().spentMicros).toBeLessThanOrEqual(1_000_000);
    }
    expect(enforcer.status().spentMicros).toBeGreaterThan(900_000);
  });

  it('holds an agent to its own daily cap', () => {
    db.prepare("INSERT INTO agents (id, name, created_at) VALUES (7, 'bot', '2026-11-28')").run();
    const a = enforcer.admit({ agentId: 7, agentCapMicros: 50_000, amountMicros: 40_000, tokens: 1 });
    expect(a.ok).toBe(true);
    const b = enforcer.admit({ agentId: 7, agentName: 'bot', agentCapMicros: 50_000, amountMicros: 20_000, tokens: 1 });
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.message).toContain('agent "bot"');
    expect(enforcer.admit({ agentId: null, amountMicros: 20_000, tokens: 1 }).ok).toBe(true);
  });

  it('emits each threshold once per budget day, and again the next day', () => {
    for (let i = 0; i < 9; i++) enforcer.settle(null, settled(100_000));
    const crossed = () => seen.filter((e) => e.type === 'threshold').map((e) => (e.type === 'threshold' ? e.percent : 0));
    expect(crossed()).toEqual([50, 80]);
    enforcer.settle(null, settled(100_000));
    expect(crossed()).toEqual([50, 80, 95, 100]);
    clockNow += 24 * 3600_000;
    enforcer.settle(null, settled(600_000, { startedAt: clockNow, finishedAt: clockNow }));
    expect(crossed()).toEqual([50, 80, 95, 100, 50]);
  });

  it('resets at midnight in the configured time zone', () => {
    enforcer.settle(null, settled(1_000_000));
    expect(enforcer.admit({ agentId: null, amountMicros: 1, tokens: 1 }).ok).toBe(false);
    clockNow = Date.parse('2026-11-28T22:59:59Z'); // 23:59:59 in Paris
    expect(enforcer.admit({ agentId: null, amountMicros: 1, tokens: 1 }).ok).toBe(false);
    clockNow = Date.parse('2026-11-28T23:00:00Z'); // midnight in Paris
    expect(enforcer.admit({ agentId: null, amountMicros: 1, tokens: 1 }).ok).toBe(true);
  });

  it('tops up a reservation only while the limit allows', () => {
    const a = enforcer.admit({ agentId: null, amountMicros: 500_000, tokens: 1 });
    if (!a.ok) throw new Error('not admitted');
    expect(enforcer.grow(a.reservation, 400_000, 0)).toBe(true);
    expect(enforcer.grow(a.reservation, 200_000, 0)).toBe(false);
    expect(enforcer.status().reservedMicros).toBe(900_000);
  });

  it('releases at start-up the reservations of a process that is gone', () => {
    const other = new BudgetEnforcer(db, settings, { now: () => clockNow }, events, 999_999);
    const a = other.admit({ agentId: null, amountMicros: 900_000, tokens: 1 });
    expect(a.ok).toBe(true);
    expect(enforcer.admit({ agentId: null, amountMicros: 200_000, tokens: 1 }).ok).toBe(false);
    expect(enforcer.releaseOrphans((pid) => pid !== 999_999)).toBe(1);
    expect(enforcer.admit({ agentId: null, amountMicros: 200_000, tokens: 1 }).ok).toBe(true);
  });
});
