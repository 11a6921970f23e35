import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLedger, type Db } from '../../../electron/core/ledger/db';
import { SettingsStore } from '../../../electron/core/ledger/settings-store';
import { AgentStore } from '../../../electron/core/ledger/agent-store';
import { BudgetEnforcer, type Reservation, type SettledRequest } from '../../../electron/core/budget/enforcer';
import { startSettleThread, type SettleThread } from '../../../electron/core/budget/settle-thread';
import { EventBus } from '../../../electron/core/events';
import { createLogger } from '../../../electron/core/log';
import { startHarness } from '../../support/harness';
import { settledRequest } from './support';
import type { CoreEvent } from '../../../shared/contract';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const settled = (cost: number, over: Partial<SettledRequest> = {}) => settledRequest(NOW, cost, over);

interface Ledger {
  db: Db;
  settings: SettingsStore;
  enforcer: BudgetEnforcer;
  events: CoreEvent[];
}

let dirs: string[] = [];
let threads: SettleThread[] = [];
let dbs: Db[] = [];
let enforcers: BudgetEnforcer[] = [];

function ledger(): Ledger {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-settle-'));
  dirs.push(dir);
  const db = openLedger(dir);
  dbs.push(db);
  const settings = new SettingsStore(db, 'UTC');
  const bus = new EventBus();
  const events: CoreEvent[] = [];
  bus.subscribe((e) => events.push(e));
  settings.update({ dailyBudgetUsd: 1 });
  const enforcer = new BudgetEnforcer(db, settings, { now: () => NOW }, bus);
  enforcers.push(enforcer);
  return { db, settings, enforcer, events };
}

/** A settle thread for `l`, once it takes batches (until then they are committed inline). */
async function threaded(l: Ledger, o: Parameters<typeof startSettleThread>[2] = {}): Promise<SettleThread> {
  const t = startSettleThread(l.db, createLogger(() => {}, 'error'), o);
  if (!t) throw new Error('no settle thread');
  threads.push(t);
  l.enforcer.settleOn(t);
  await until(() => t.ready(), 'the thread to start');
  return t;
}

/** Changes only when another connection commits: the proof that a write was the thread's. */
const dataVersion = (db: Db) => db.pragma('data_version', { simple: true }) as number;
const requestRows = (db: Db) => (db.prepare('SELECT COUNT(*) AS n FROM requests').get() as { n: number }).n;
const spentAll = (db: Db) => (db.prepare('SELECT COALESCE(SUM(spent_micros), 0) AS s FROM daily_spend WHERE agent_id = 0').get() as { s: number }).s;

async function until(check: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

beforeEach(() => {
  dirs = [];
  threads = [];
  dbs = [];
  enforcers = [];
});

afterEach(async () => {
  for (const e of enforcers) e.stop();
  for (const t of threads) await t.close();
  for (const db of dbs) if (db.open) db.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('settlements on a settle thread', () => {
  it('commits them on its own connection, in the background, and hands each its id', async () => {
    const l = ledger();
    await threaded(l);
    const before = dataVersion(l.db);
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) l.enforcer.settleSoon(null, settled(1_000 * (i + 1)), (id) => ids.push(id), (e) => { throw e; });
    // Nobody reads: the batch is posted when its window ends and answered on the event loop.
    expect(ids).toEqual([]);
    await until(() => ids.length === 5, 'the answers');
    expect(new Set(ids).size).toBe(5);
    expect(Math.min(...ids)).toBeGreaterThan(0);
    expect(dataVersion(l.db)).not.toBe(before);
    expect(requestRows(l.db)).toBe(5);
    expect(spentAll(l.db)).toBe(15_000);
  });

  it('lets no reader in this process see the ledger behind its settlements', async () => {
    const l = ledger();
    await threaded(l);
    for (let i = 0; i < 4; i++) l.enforcer.settleSoon(null, settled(50_000), () => {}, (e) => { throw e; });
    // percentSpent counts what is waiting; status() waits for the thread's commit and reads it.
    expect(l.enforcer.percentSpent()).toBeCloseTo(20, 6);
    expect(l.enforcer.status()).toMatchObject({ spentMicros: 200_000 });
    expect(requestRows(l.db)).toBe(4);
    // settle() is synchronous through the thread too, and returns the row's id.
    const id = l.enforcer.settle(null, settled(10_000));
    expect(l.db.prepare('SELECT cost_micros AS c FROM requests WHERE id = ?').get(id)).toEqual({ c: 10_000 });
  });

  it('counts a batch in flight once, though the thread may have committed it before its answer arrives', async () => {
    const l = ledger();
    // A write window of 0: the batch goes to the thread on the next setImmediate.
    l.enforcer.settleOn(await threaded(l), 0);
    l.enforcer.settle(null, settled(100_000));
    expect(l.enforcer.percentSpent()).toBeCloseTo(10, 6);
    let answered = 0;
    for (let i = 0; i < 2; i++) l.enforcer.settleSoon(null, settled(100_000), () => (answered += 1), (e) => { throw e; });
    await new Promise((r) => setImmediate(r));
    const end = performance.now() + 30;
    while (performance.now() < end); // the thread commits; its answer cannot arrive while we spin
    expect(answered).toBe(0);
    expect(l.enforcer.percentSpent()).toBeCloseTo(30, 6);
    await until(() => answered === 2, 'the answer');
    expect(l.enforcer.percentSpent()).toBeCloseTo(30, 6);
  });

  it("keeps this process's transactions clear of the thread's commits", async () => {
    const l = ledger();
    l.enforcer.settleOn(await threaded(l), 0);
    l.enforcer.settle(null, settled(1_000));
    for (let i = 0; i < 3; i++) l.enforcer.settleSoon(null, settled(1_000), () => {}, (e) => { throw e; });
    await new Promise((r) => setImmediate(r)); // the batch is on the thread now
    // Read, give the thread time to commit, then write: without waiting for the thread first, the
    // write would find the snapshot stale (SQLITE_BUSY_SNAPSHOT).
    const readThenWrite = l.db.transaction(() => {
      const n = requestRows(l.db);
      const end = performance.now() + 30;
      while (performance.now() < end);
      l.db.prepare("INSERT INTO settings (key, value) VALUES ('probe', ?)").run(String(n));
      return n;
    });
    expect(readThenWrite()).toBe(4);
    // A settlement inside a transaction is written in it (the thread could not commit until it ends).
    for (let i = 0; i < 2; i++) l.enforcer.settleSoon(null, settled(1_000), () => {}, (e) => { throw e; });
    const started = performance.now();
    const id = l.db.transaction(() => l.enforcer.settle(null, settled(2_000)))();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(id).toBeGreaterThan(0);
    expect(requestRows(l.db)).toBe(7);
  });

  it('fails a bad record alone and writes the others of its batch', async () => {
    const l = ledger();
    await threaded(l);
    const errors: string[] = [];
    const ids: number[] = [];
    const ok = () => (id: number) => ids.push(id);
    l.enforcer.settleSoon(null, settled(1_000), ok(), (e) => errors.push(e.message));
    // No agent 999: the foreign key refuses the row, on the thread's connection too.
    l.enforcer.settleSoon(null, settled(2_000, { agentId: 999 }), ok(), (e) => errors.push(e.message));
    l.enforcer.settleSoon(null, settled(3_000), ok(), (e) => errors.push(e.message));
    l.enforcer.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/FOREIGN KEY/);
    expect(ids).toHaveLength(2);
    expect(requestRows(l.db)).toBe(2);
    expect(spentAll(l.db)).toBe(4_000);
  });

  it('announces a threshold crossed on the thread once, after its commit', async () => {
    const l = ledger();
    await threaded(l);
    l.settings.update({ dailyBudgetUsd: 1, thresholds: [50, 80, 100] });
    for (let i = 0; i < 6; i++) l.enforcer.settleSoon(null, settled(100_000), () => {}, (e) => { throw e; });
    l.enforcer.flush();
    const crossed = l.events.filter((e) => e.type === 'threshold').map((e) => (e.type === 'threshold' ? e.percent : 0));
    expect(crossed).toEqual([50]);
    expect(l.enforcer.status().crossed).toEqual([50]);
  });

  it('makes exactly the decisions of inline settlements under random admissions, costs, top-ups and settle orders', async () => {
    const inline = ledger();
    const onThread = ledger();
    await threaded(onThread);
    for (const x of [inline, onThread]) {
      new AgentStore(x.db, () => NOW).create('bot');
      x.settings.update({ dailyBudgetUsd: 0.5, dailyTokenLimit: 400_000 });
    }
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const open: Array<[Reservation, Reservation]> = [];
    const trace: string[][] = [[], []];
    for (let step = 0; step < 600; step++) {
      const roll = rand();
      if (roll < 0.5 || open.length === 0) {
        const amount = Math.floor(rand() * 40_000);
        const lease = rand() < 0.8;
        const pair = [inline, onThread].map((x, k) => {
          const a = x.enforcer.admit({ agentId: 1, amountMicros: amount, tokens: 2_000, lease });
          trace[k]?.push(a.ok ? 'admit' : `refuse ${a.message}`);
          return a.ok ? a.reservation : null;
        });
        if (pair[0] && pair[1]) open.push([pair[0], pair[1]]);
      } else if (roll < 0.6) {
        const k = Math.floor(rand() * open.length);
        const extra = Math.floor(rand() * 20_000);
        [inline, onThread].forEach((x, i) => trace[i]?.push(`grow ${x.enforcer.grow(open[k]?.[i] as Reservation, extra, 100)}`));
      } else {
        const [pair] = open.splice(Math.floor(rand() * open.length), 1);
        const cost = Math.floor(rand() * 30_000);
        [inline, onThread].forEach((x, i) => x.enforcer.settleSoon(pair?.[i] as Reservation, settled(cost, { agentId: 1 }), () => {}, (e) => { throw e; }));
      }
      // Sometimes a turn of the event loop, so batches go to the thread and answer in the background.
      if (rand() < 0.1) await new Promise((r) => setTimeout(r, 12));
    }
    expect(trace[1]).toEqual(trace[0]);
    const [a, b] = [inline, onThread].map((x) => x.enforcer.status());
    expect(b).toEqual(a);
    expect(requestRows(onThread.db)).toBe(requestRows(inline.db));
  });

  it('keeps two processes sharing a ledger, each with its settle thread, within the budget and exact to the micro-dollar', async () => {
    const one = ledger();
    const dir = path.dirname(one.db.name);
    const db2 = openLedger(dir);
    dbs.push(db2);
    const settings2 = new SettingsStore(db2, 'UTC');
    const two: Ledger = { db: db2, settings: settings2, enforcer: new BudgetEnforcer(db2, settings2, { now: () => NOW }, new EventBus(), process.pid + 1), events: [] };
    enforcers.push(two.enforcer);
    one.settings.update({ dailyBudgetUsd: 0.5 });
    await threaded(one);
    await threaded(two);
    let seed = 11;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const open: Array<{ x: Ledger; r: Reservation }> = [];
    let settledCost = 0;
    let refused = 0;
    for (let step = 0; step < 1_500; step++) {
      const x = rand() < 0.5 ? one : two;
      if (rand() < 0.55) {
        const a = x.enforcer.admit({ agentId: null, amountMicros: 1_000 + Math.floor(rand() * 20_000), tokens: 10, lease: rand() < 0.7 });
        if (a.ok) open.push({ x, r: a.reservation });
        else refused += 1;
      } else if (open.length > 0) {
        const [o] = open.splice(Math.floor(rand() * open.length), 1);
        if (!o) continue;
        const cost = Math.floor(rand() * o.r.amountMicros);
        settledCost += cost;
        o.x.enforcer.settleSoon(o.r, settled(cost), () => {}, (e) => { throw e; });
      }
      if (rand() < 0.05) await new Promise((r) => setTimeout(r, Math.floor(rand() * 15)));
    }
    for (const o of open.splice(0)) {
      settledCost += o.r.amountMicros;
      o.x.enforcer.settleSoon(o.r, settled(o.r.amountMicros), () => {}, (e) => { throw e; });
    }
    one.enforcer.stop();
    two.enforcer.stop();
    expect(refused).toBeGreaterThan(0); // the budget was reached
    expect(spentAll(one.db)).toBe(settledCost);
    expect(settledCost).toBeLessThanOrEqual(500_000);
    expect(one.db.prepare('SELECT COUNT(*) AS n FROM reservations').get()).toEqual({ n: 0 });
  });

  it('writes inline once closed, after committing what it had in flight', async () => {
    const l = ledger();
    const t = await threaded(l);
    for (let i = 0; i < 3; i++) l.enforcer.settleSoon(null, settled(1_000), () => {}, (e) => { throw e; });
    l.enforcer.settleOn(null);
    await t.close();
    expect(t.running()).toBe(false);
    expect(requestRows(l.db)).toBe(3);
    const before = dataVersion(l.db);
    l.enforcer.settle(null, settled(1_000));
    expect(requestRows(l.db)).toBe(4);
    expect(dataVersion(l.db)).toBe(before);
  });

  it('takes the WAL checkpoints too when asked, and gives them back to the connection when it stops', async () => {
    const l = ledger();
    const file = l.db.name;
    const t = await threaded(l, { checkpointEveryMs: 50 });
    expect(l.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = fs.statSync(file).size;
    const put = l.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
    for (let i = 0; i < 400; i++) put.run(`k${i}`, 'x'.repeat(2000));
    // Only a checkpoint writes pages into the database file, and this connection takes none now.
    await until(() => fs.statSync(file).size > before + 400 * 2000, 'a checkpoint');
    l.enforcer.settleOn(null);
    await t.close();
    expect(l.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('leaves an in-memory ledger as it is', () => {
    const db = openLedger(':memory:');
    dbs.push(db);
    expect(startSettleThread(db, createLogger(() => {}, 'error'), { checkpointEveryMs: 50 })).toBeNull();
  });

  it('is what the host runs: a gateway request is recorded by the thread', async () => {
    const h = await startHarness();
    try {
      // Requests before the thread has started are recorded inline; once it has, by the thread.
      let byThread = false;
      for (let n = 1; !byThread && n <= 50; n++) {
        const before = dataVersion(h.core.db);
        await h.client().messages.create({ model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: `hello ${n}` }] });
        await new Promise((r) => setTimeout(r, 100));
        byThread = dataVersion(h.core.db) !== before;
        expect(requestRows(h.core.db)).toBe(n);
      }
      expect(byThread).toBe(true);
      // The same thread takes the checkpoints: none inside this connection's commits.
      expect(h.core.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      expect(h.core.db.prepare('SELECT status, cost_micros > 0 AS paid FROM requests ORDER BY id DESC LIMIT 1').get()).toEqual({ status: 'ok', paid: 1 });
    } finally {
      await h.close();
    }
  });
});
