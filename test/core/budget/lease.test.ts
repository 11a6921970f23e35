import { beforeEach, describe, expect, it } from 'vitest';
import { openLedger, type Db } from '../../../electron/core/ledger/db';
import { SettingsStore } from '../../../electron/core/ledger/settings-store';
import { BudgetEnforcer, type Admission, type Reservation, type SettledRequest } from '../../../electron/core/budget/enforcer';
import { EventBus } from '../../../electron/core/events';
import { settledRequest } from './support';
import { AgentStore } from '../../../electron/core/ledger/agent-store';

const NOW = Date.parse('2026-11-28T12:00:00Z');

function settled(cost: number, over: Partial<SettledRequest> = {}): SettledRequest {
  return settledRequest(NOW, cost, over);
}

interface Ledger {
  db: Db;
  settings: SettingsStore;
  enforcer: BudgetEnforcer;
}

function ledger(db: Db = openLedger(':memory:'), pid = process.pid, leaseIdleMs = 60_000): Ledger {
  const settings = new SettingsStore(db, 'UTC');
  return { db, settings, enforcer: new BudgetEnforcer(db, settings, { now: () => NOW }, new EventBus(), pid, { leaseIdleMs }) };
}

const rows = (db: Db) => db.prepare<[], { id: string; amount_micros: number; pid: number }>('SELECT id, amount_micros, pid FROM reservations').all();
const spent = (db: Db) => (db.prepare("SELECT COALESCE(SUM(spent_micros), 0) AS s FROM daily_spend WHERE agent_id = 0").get() as { s: number }).s;

let l: Ledger;
beforeEach(() => {
  l = ledger();
  l.settings.update({ dailyBudgetUsd: 1 });
});

describe('the gateway’s budget lease', () => {
  it('admits a stream of requests from one reservation row and moves each real cost from it to the spend', () => {
    for (let i = 0; i < 40; i++) {
      const a = l.enforcer.admit({ agentId: null, amountMicros: 2_000, tokens: 100, lease: true });
      if (!a.ok) throw new Error('refused');
      l.enforcer.settle(a.reservation, settled(500));
    }
    const held = rows(l.db);
    expect(held).toHaveLength(1);
    expect(held[0]?.id).toMatch(/^lease-/);
    expect(spent(l.db)).toBe(40 * 500);
    // The row holds only unused headroom now, and never more than a tenth of what is left.
    expect(l.enforcer.status().reservedMicros).toBe(0);
    expect(held[0]?.amount_micros).toBeLessThanOrEqual((1_000_000 - 40 * 500) / 10 + 2_000);
    expect(l.enforcer.leasedInFlight()).toBe(0);
  });

  it('makes exactly the decisions of plain reservations, request by request, under random sizes, costs and settle orders', () => {
    const plain = ledger();
    for (const x of [l, plain]) new AgentStore(x.db, () => NOW).create('bot');
    plain.settings.update({ dailyBudgetUsd: 0.5, dailyTokenLimit: 400_000 });
    l.settings.update({ dailyBudgetUsd: 0.5, dailyTokenLimit: 400_000 });
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const open: Array<{ leased: Reservation; plain: Reservation }> = [];
    let decisions = 0;
    let refusals = 0;
    for (let step = 0; step < 600; step++) {
      if (open.length > 0 && rand() < 0.45) {
        const [done] = open.splice(Math.floor(rand() * open.length), 1);
        if (!done) continue;
        const cost = Math.floor(done.plain.amountMicros * rand());
        const agentId = done.plain.agentId || null;
        if (rand() < 0.1) {
          l.enforcer.release(done.leased);
          plain.enforcer.release(done.plain);
        } else {
          l.enforcer.settle(done.leased, settled(cost, { agentId }));
          plain.enforcer.settle(done.plain, settled(cost, { agentId }));
        }
        continue;
      }
      const req = { agentId: rand() < 0.5 ? null : 1, agentCapMicros: 200_000, amountMicros: Math.floor(rand() * 30_000), tokens: Math.floor(rand() * 9_000) };
      const a: Admission = l.enforcer.admit({ ...req, lease: true });
      const b: Admission = plain.enforcer.admit(req);
      expect(a.ok).toBe(b.ok);
      decisions += 1;
      if (a.ok && b.ok) open.push({ leased: a.reservation, plain: b.reservation });
      else refusals += 1;
    }
    // The sequence must have reached the limits for the comparison to mean anything.
    expect(refusals).toBeGreaterThan(20);
    expect(decisions - refusals).toBeGreaterThan(100);
    expect(l.enforcer.status().spentMicros).toBe(plain.enforcer.status().spentMicros);
    expect(l.enforcer.status().spentMicros).toBeLessThanOrEqual(500_000);
  });

  it('holds its headroom from other processes, which can still spend the rest', () => {
    const a = l.enforcer.admit({ agentId: null, amountMicros: 10_000, tokens: 1, lease: true });
    expect(a.ok).toBe(true);
    const row = rows(l.db)[0];
    const other = ledger(l.db, 999_999);
    const left = 1_000_000 - (row?.amount_micros ?? 0);
    expect(left).toBeGreaterThan(800_000);
    expect(other.enforcer.admit({ agentId: null, amountMicros: left + 1, tokens: 1 }).ok).toBe(false);
    expect(other.enforcer.admit({ agentId: null, amountMicros: left, tokens: 1 }).ok).toBe(true);
  });

  it('decides against the ledger again as soon as the budget changes', () => {
    const a = l.enforcer.admit({ agentId: null, amountMicros: 10_000, tokens: 1, lease: true });
    if (!a.ok) throw new Error('refused');
    l.enforcer.settle(a.reservation, settled(10_000));
    l.settings.update({ dailyBudgetUsd: 0.01 });
    const b = l.enforcer.admit({ agentId: null, amountMicros: 1_000, tokens: 1, lease: true });
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.message).toContain('daily budget of $0.01 is spent');
  });

  it('hands an idle lease back, and a dead process’s lease is an orphan like any reservation', async () => {
    const quick = ledger(openLedger(':memory:'), process.pid, 20);
    const a = quick.enforcer.admit({ agentId: null, amountMicros: 1_000, tokens: 1, lease: true });
    if (!a.ok) throw new Error('refused');
    quick.enforcer.settle(a.reservation, settled(100));
    expect(rows(quick.db)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 80));
    expect(rows(quick.db)).toHaveLength(0);

    const gone = ledger(l.db, 999_999);
    expect(gone.enforcer.admit({ agentId: null, amountMicros: 1_000, tokens: 1, lease: true }).ok).toBe(true);
    expect(l.enforcer.releaseOrphans((pid) => pid !== 999_999)).toBe(1);
    expect(rows(l.db)).toHaveLength(0);
  });

  it('grows while top-ups come fast, so a steady stream rarely writes to admit, and starts small again after a pause', () => {
    let now = NOW;
    const db = openLedger(':memory:');
    const settings = new SettingsStore(db, 'UTC');
    const enforcer = new BudgetEnforcer(db, settings, { now: () => now }, new EventBus(), process.pid, { leaseIdleMs: 600_000 });
    settings.update({ dailyBudgetUsd: 1_000 });
    const heldRow = () => rows(db)[0]?.amount_micros ?? 0;
    /** Requests `everyMs` apart, each spending 90% of its worst case; returns the row after each top-up (when it grew). */
    const stream = (n: number, everyMs: number): number[] => {
      const topUps: number[] = [];
      for (let i = 0; i < n; i++) {
        now += everyMs;
        const before = heldRow();
        const a = enforcer.admit({ agentId: null, amountMicros: 2_000, tokens: 100, lease: true });
        if (!a.ok) throw new Error('refused');
        // Nothing else is in flight: after a top-up the row holds exactly this request and the lease's new headroom.
        if (heldRow() > before) topUps.push(heldRow());
        enforcer.settle(a.reservation, settled(1_800));
      }
      return topUps;
    };
    // 500 requests/s for 4 s: a fixed lease of 15 would top up every 16 requests or so (about 125 times).
    const steady = stream(2_000, 2);
    expect(steady.length).toBeGreaterThan(3);
    expect(steady.length).toBeLessThan(25);
    expect(steady[0]).toBe(16 * 2_000);
    expect(Math.max(...steady)).toBe(481 * 2_000);
    // After a minute without requests, the next top-up is the first size again.
    now += 60_000;
    const after = stream(600, 0);
    expect(after[0]).toBe(16 * 2_000);
    expect(enforcer.status().spentMicros).toBe(2_600 * 1_800);
  });

  it('tops a leased request up from the lease, and from the ledger when the lease is short', () => {
    const a = l.enforcer.admit({ agentId: null, amountMicros: 10_000, tokens: 1, lease: true });
    if (!a.ok) throw new Error('refused');
    expect(l.enforcer.grow(a.reservation, 5_000, 0)).toBe(true);
    expect(l.enforcer.grow(a.reservation, 500_000, 0)).toBe(true);
    expect(l.enforcer.grow(a.reservation, 600_000, 0)).toBe(false);
    expect(a.reservation.amountMicros).toBe(515_000);
    expect(l.enforcer.status().reservedMicros).toBe(515_000);
    l.enforcer.settle(a.reservation, settled(515_000));
    expect(l.enforcer.status()).toMatchObject({ spentMicros: 515_000, reservedMicros: 0 });
  });
});

describe('settling soon', () => {
  it('writes the settlements of one turn together, gives each its id, and a status read sees them at once', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) l.enforcer.settleSoon(null, settled(1_000), (id) => ids.push(id), () => undefined);
    expect(ids).toEqual([]);
    expect(l.enforcer.status().spentMicros).toBe(5_000);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
    l.enforcer.settleSoon(null, settled(1_000), (id) => ids.push(id), () => undefined);
    await new Promise((r) => setImmediate(r));
    expect(ids).toHaveLength(6);
    expect(spent(l.db)).toBe(6_000);
  });

  it('keeps the reservation in the ledger until the write, so no other process sees less committed', () => {
    const a = l.enforcer.admit({ agentId: null, amountMicros: 300_000, tokens: 1 });
    if (!a.ok) throw new Error('refused');
    l.enforcer.settleSoon(a.reservation, settled(100_000), () => undefined, () => undefined);
    const other = ledger(l.db, 999_999);
    // Before the write: the 300k worst case is still held, nothing spent yet.
    expect(other.enforcer.admit({ agentId: null, amountMicros: 750_000, tokens: 1 }).ok).toBe(false);
    l.enforcer.flush();
    // After it: the real 100k is spent and the reservation gone.
    expect(other.enforcer.admit({ agentId: null, amountMicros: 900_001, tokens: 1 }).ok).toBe(false);
    expect(other.enforcer.admit({ agentId: null, amountMicros: 900_000, tokens: 1 }).ok).toBe(true);
  });

  it('writes the same requests, spend, hourly and threshold rows in one batch as one by one', () => {
    const oneByOne = ledger();
    const batched = ledger();
    const records: SettledRequest[] = [];
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 60; i++) {
      records.push(
        settled(Math.floor(rand() * 400), {
          startedAt: NOW + Math.floor(rand() * 3) * 3_600_000,
          finishedAt: NOW + i,
          agentId: [null, 1, 2][Math.floor(rand() * 3)] ?? null,
          modelUsed: rand() < 0.5 ? 'claude-sonnet-4-6' : 'mystery-model',
          priceFlag: rand() < 0.2 ? 'unknown_model' : 'ok',
          status: rand() < 0.1 ? 'rejected' : 'ok',
          usage: { inputTokens: i, outputTokens: 2 * i, cacheWrite5mTokens: i % 3, cacheWrite1hTokens: i % 5, cacheReadTokens: i % 7 },
        }),
      );
    }
    for (const x of [oneByOne, batched]) {
      const agents = new AgentStore(x.db, () => NOW);
      agents.create('a');
      agents.create('b');
      x.settings.update({ dailyBudgetUsd: 0.01, thresholds: [10, 50, 80] });
    }
    for (const r of records) oneByOne.enforcer.settle(null, r);
    for (const r of records) batched.enforcer.settleSoon(null, r, () => undefined, () => undefined);
    batched.enforcer.flush();
    const dump = (db: Db) => ({
      requests: db.prepare('SELECT * FROM requests ORDER BY id').all(),
      daily: db.prepare('SELECT * FROM daily_spend ORDER BY budget_day, agent_id').all(),
      hourly: db.prepare('SELECT * FROM spend_hourly ORDER BY budget_day, hour, agent_id, model').all(),
      thresholds: db.prepare('SELECT * FROM threshold_events ORDER BY percent').all(),
    });
    const a = dump(oneByOne.db);
    expect(a.requests).toHaveLength(60);
    expect(a.hourly.length).toBeGreaterThan(6);
    expect(a.thresholds.length).toBe(3);
    expect(dump(batched.db)).toEqual(a);
  });

  it('records every good settlement of a batch when one of them cannot be written', () => {
    const failures: string[] = [];
    const ids: number[] = [];
    l.enforcer.settleSoon(null, settled(1_000), (id) => ids.push(id), (e) => failures.push(e.message));
    l.enforcer.settleSoon(null, settled(1_000, { agentId: 424_242 }), (id) => ids.push(id), (e) => failures.push(e.message));
    l.enforcer.settleSoon(null, settled(1_000), (id) => ids.push(id), (e) => failures.push(e.message));
    l.enforcer.flush();
    expect(ids).toHaveLength(2);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/FOREIGN KEY/);
    expect(spent(l.db)).toBe(2_000);
  });
});
