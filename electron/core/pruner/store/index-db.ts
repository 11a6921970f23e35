import Database from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { INDEX_MIGRATIONS } from './migrations';

export type IndexDb = Database.Database;

/** `<dataDir>/index/<folder name>-<hash of its absolute path>.sqlite`: one index per repository. */
export function indexFileFor(repoRoot: string, dataDir: string): string {
  const abs = path.resolve(repoRoot);
  const digest = crypto.createHash('sha256').update(abs).digest('hex').slice(0, 16);
  const name = path.basename(abs).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40) || 'root';
  return path.join(dataDir, 'index', `${name}-${digest}.sqlite`);
}

function applyMigrations(db: IndexDb): void {
  for (let v = db.pragma('user_version', { simple: true }) as number; v < INDEX_MIGRATIONS.length; v++) {
    const sql = INDEX_MIGRATIONS[v] as string;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

/**
 * Opens (creating if needed) a repository's index. WAL, so a brief can be read while another
 * process updates the index. An index written by a newer Sluice is a cache we cannot read:
 * it is deleted and rebuilt rather than refused.
 */
export function openIndexDb(file: string | ':memory:'): IndexDb {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let db = new Database(file);
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > INDEX_MIGRATIONS.length && file !== ':memory:') {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    db = new Database(file);
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // A first index writes tens of MB of terms; the default 2 MB page cache made SQLite re-read its own b-trees.
  db.pragma('cache_size = -65536');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  applyMigrations(db);
  return db;
}
