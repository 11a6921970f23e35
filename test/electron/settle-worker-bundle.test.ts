import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../electron/core/ledger/db';
import { SettingsStore } from '../../electron/core/ledger/settings-store';
import { BudgetEnforcer } from '../../electron/core/budget/enforcer';
import { startSettleThread } from '../../electron/core/budget/settle-thread';
import { EventBus } from '../../electron/core/events';
import { createLogger } from '../../electron/core/log';
import { settledRequest } from '../core/budget/support';

const repo = path.resolve(__dirname, '..', '..');
// Inside the repository, so the bundle's external packages (better-sqlite3) resolve as in the app.
const out = path.join(repo, 'node_modules', '.cache', `sluice-settle-bundle-${process.pid}`);
const data = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-settle-bundle-'));

beforeAll(() => {
  const built = spawnSync(process.execPath, [path.join(repo, 'scripts', 'build-electron.mjs'), path.join(out, 'dist-electron')], { cwd: repo, encoding: 'utf8' });
  expect(built.status, built.stderr).toBe(0);
}, 120_000);

afterAll(() => {
  fs.rmSync(out, { recursive: true, force: true });
  fs.rmSync(data, { recursive: true, force: true });
});

describe("the desktop build's settle thread", () => {
  it('runs from the bundled worker beside the main bundle, with no TypeScript loader, and records settlements', async () => {
    const worker = path.join(out, 'dist-electron', 'main', 'settle-worker.mjs');
    expect(fs.readFileSync(worker, 'utf8')).not.toMatch(/tsx/);
    const db = openLedger(data);
    const settings = new SettingsStore(db, 'UTC');
    const enforcer = new BudgetEnforcer(db, settings, { now: () => Date.now() }, new EventBus());
    const thread = startSettleThread(db, createLogger(() => {}, 'error'), { script: pathToFileURL(worker), checkpointEveryMs: 50 });
    if (!thread) throw new Error('no settle thread');
    try {
      enforcer.settleOn(thread);
      const end = Date.now() + 10_000;
      while (!thread.ready() && thread.running() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      expect(thread.ready()).toBe(true);
      const before = db.pragma('data_version', { simple: true });
      for (let i = 0; i < 3; i++) enforcer.settleSoon(null, settledRequest(Date.now(), 1_000), () => {}, (e) => { throw e; });
      enforcer.flush();
      // Committed by another connection (the worker's), and readable here at once.
      expect(db.pragma('data_version', { simple: true })).not.toBe(before);
      expect(db.prepare('SELECT COUNT(*) AS n, SUM(cost_micros) AS c FROM requests').get()).toEqual({ n: 3, c: 3_000 });
    } finally {
      enforcer.settleOn(null);
      await thread.close();
      enforcer.stop();
      db.close();
    }
  });
});
