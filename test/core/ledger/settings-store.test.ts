import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger, type Db } from '../../../electron/core/ledger/db';
import { SettingsStore } from '../../../electron/core/ledger/settings-store';
import { BudgetEnforcer } from '../../../electron/core/budget/enforcer';
import { EventBus } from '../../../electron/core/events';
import { settledRequest } from '../budget/support';

/** `dataVersion` is read at most once per turn of the event loop. */
const nextTurn = () => new Promise((r) => setImmediate(r));

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});

/** A file ledger and a second connection to it, as another Sluice process would have. */
function twoConnections(): { db: Db; other: Database.Database } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-settings-'));
  const db = openLedger(dir);
  const other = new Database(path.join(dir, 'ledger.sqlite'));
  other.pragma('busy_timeout = 5000');
  cleanup.push(() => {
    other.close();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { db, other };
}

describe('the settings cache', () => {
  it('keeps its object when another process commits without touching the settings, and sees a change', async () => {
    const { db, other } = twoConnections();
    const settings = new SettingsStore(db, 'UTC');
    settings.update({ dailyBudgetUsd: 3 });
    const first = settings.get();
    other.prepare("INSERT INTO sessions (id, agent_id, first_seen_at, last_seen_at) VALUES ('s', NULL, 'x', 'x')").run();
    await nextTurn();
    expect(settings.get()).toBe(first);
    new SettingsStore(other, 'UTC').update({ dailyBudgetUsd: 4 });
    await nextTurn();
    expect(settings.get()).not.toBe(first);
    expect(settings.get().dailyBudgetUsd).toBe(4);
  });

  it('so another process recording requests does not end this process’s budget lease', async () => {
    const { db, other } = twoConnections();
    const now = Date.parse('2026-11-28T12:00:00Z');
    const settings = new SettingsStore(db, 'UTC');
    settings.update({ dailyBudgetUsd: 100 });
    const here = new BudgetEnforcer(db, settings, { now: () => now }, new EventBus(), process.pid, { leaseIdleMs: 60_000 });
    const there = new BudgetEnforcer(other, new SettingsStore(other, 'UTC'), { now: () => now }, new EventBus(), process.pid + 1);
    const leases = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const a = here.admit({ agentId: null, amountMicros: 100, tokens: 10, lease: true });
      if (!a.ok) throw new Error(a.message);
      leases.add(a.reservation.id.split('#')[0] as string);
      here.settle(a.reservation, settledRequest(now, 50));
      // The other process records a request of its own between each of ours.
      there.settle(null, settledRequest(now, 10));
      await nextTurn();
    }
    // One lease for all twenty: none was ended because the ledger moved.
    expect(leases.size).toBe(1);
    expect((db.prepare('SELECT COUNT(*) AS n FROM requests').get() as { n: number }).n).toBe(40);
    here.stop();
  });
});
