import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger, type Db } from '../../../electron/core/ledger/db';
import { startBackgroundCheckpoints } from '../../../electron/core/ledger/checkpointer';
import { silentLogger } from '../../../electron/core/log';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function fileLedger(): { db: Db; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-ckpt-'));
  dirs.push(dir);
  const db = openLedger(dir);
  return { db, file: path.join(dir, 'ledger.sqlite') };
}

function writePages(db: Db, rows: number): void {
  const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
  for (let i = 0; i < rows; i++) db.transaction(() => put.run(`k${Math.random()}`, 'x'.repeat(2000)))();
}

const until = async (ok: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return ok();
};

describe('background WAL checkpoints', () => {
  it('take checkpoints off the writing connection and still move the WAL into the database file', async () => {
    const { db, file } = fileLedger();
    const bg = startBackgroundCheckpoints(db, silentLogger, 50);
    expect(bg).not.toBeNull();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const before = fs.statSync(file).size;
    writePages(db, 400);
    // Only a checkpoint writes pages into the main file; this connection no longer runs any.
    expect(await until(() => fs.statSync(file).size > before + 400 * 2000)).toBe(true);
    await bg?.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    db.close();
  });

  it('leaves an in-memory ledger as it is', () => {
    const db = openLedger(':memory:');
    expect(startBackgroundCheckpoints(db, silentLogger)).toBeNull();
    db.close();
  });
});
