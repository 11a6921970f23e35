import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the ledger at `<dataDir>/ledger.sqlite`, or in memory for ':memory:'.
 * WAL so readers (UI queries, `sluice usage`) never block the writer; NORMAL sync is durable
 * across process crashes in WAL mode, which is the failure we guard against.
 */
export function openLedger(dataDir: string | ':memory:'): Db {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    file = path.join(dataDir, 'ledger.sqlite');
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  connectionPragmas(db);
  guardTransactions(db);
  migrate(db);
  return db;
}

/** Another connection to an open ledger file (a worker thread's), with the same per-connection settings. */
export function connectLedger(file: string): Db {
  const db = new Database(file);
  connectionPragmas(db);
  return db;
}

function connectionPragmas(db: Db): void {
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

const heldWrites = new WeakMap<Db, Set<() => void>>();

/** Registers writes this process holds back for a moment (the enforcer's settlements, see settleSoon). */
export function holdsWrites(db: Db, flush: () => void): void {
  let set = heldWrites.get(db);
  if (!set) heldWrites.set(db, (set = new Set()));
  set.add(flush);
}

/** Readers of requests and spend call this first, so a read in this process never lags its own writes. */
export function syncLedger(db: Db): void {
  const set = heldWrites.get(db);
  if (set) for (const flush of set) flush();
}

const beforeBegin = new WeakMap<Db, Set<() => void>>();

/**
 * Runs `hook` before every outermost transaction this connection begins. The settle thread writes
 * the ledger on a connection of its own; the enforcer waits here for what it has in flight, so a
 * transaction of this process never waits on the thread's write lock, nor finds that the thread
 * committed between its first read and its first write (SQLITE_BUSY_SNAPSHOT).
 */
export function beforeTransactions(db: Db, hook: () => void): void {
  let set = beforeBegin.get(db);
  if (!set) beforeBegin.set(db, (set = new Set()));
  set.add(hook);
}

/** Makes `db.transaction` run the `beforeTransactions` hooks (installed at open, before any store builds one). */
function guardTransactions(db: Db): void {
  type Run = (...args: unknown[]) => unknown;
  const make = db.transaction.bind(db);
  const guard =
    (run: Run): Run =>
    (...args) => {
      if (!db.inTransaction) for (const hook of beforeBegin.get(db) ?? []) hook();
      return run(...args);
    };
  db.transaction = ((fn: Run) => {
    const tx = make(fn);
    return Object.assign(guard(tx), { default: guard(tx.default), deferred: guard(tx.deferred), immediate: guard(tx.immediate), exclusive: guard(tx.exclusive) });
  }) as Db['transaction'];
}

const versions = new WeakMap<Db, { read: () => number; value: number }>();

/**
 * SQLite's `data_version` for this connection: it changes when another connection (another Sluice
 * process) commits. Caches keyed on it see other processes' writes on their next read. Read at most
 * once per turn of the event loop: a request asks several stores at each of its steps, and the
 * pragma per ask was a measurable share of a gateway request.
 */
export function dataVersion(db: Db): number {
  let v = versions.get(db);
  if (!v) {
    const stmt = db.prepare<[], number>('PRAGMA data_version').pluck();
    v = { read: () => stmt.get() as number, value: -1 };
    versions.set(db, v);
  }
  if (v.value < 0) {
    v.value = v.read();
    const entry = v;
    setImmediate(() => (entry.value = -1));
  }
  return v.value;
}

export function migrate(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `This ledger was written by a newer Sluice (schema ${current}, this build knows ${MIGRATIONS.length}). Update Sluice.`,
    );
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    const sql = MIGRATIONS[v] as string;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
  return MIGRATIONS.length;
}
