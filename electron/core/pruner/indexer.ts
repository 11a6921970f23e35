import crypto from 'node:crypto';
import path from 'node:path';
import { resolveDataDir } from '../config/paths';
import { inThreadPreparer, workerPreparer } from './parse/parse-pool';
import { prepareFile, type Prepared } from './parse/prepare';
import { inspectPath, walkRepository, type WalkedFile } from './repo/walk';
import type { SkippedPath } from './repo/skip-rules';
import { indexFileFor, openIndexDb, type IndexDb } from './store/index-db';
import { IndexWriter } from './store/file-writer';

export interface IndexOptions {
  /** Where indexes live (`<dataDir>/index/`); default `resolveDataDir()`. */
  dataDir?: string;
  maxFileBytes?: number;
}

export interface IndexStats {
  files: number;
  /** Files read and parsed in this update (new or changed content). */
  parsed: number;
  removed: number;
  skipped: SkippedPath[];
  ms: number;
}

/** An open index of one repository. Close it when done. */
export interface RepositoryIndex {
  root: string;
  db: IndexDb;
  /** Bumped whenever the indexed content changes; caches derived from the index key on it. */
  version: number;
  /** Random id of this index file, so a deleted and rebuilt index never matches an old cache entry. */
  id: string;
  close(): void;
}

/** Write in batches so a long first index never holds one giant transaction, and yields between them. */
const BATCH = 200;
/** Below this many files to parse, starting worker threads (~1 s each) costs more than it saves. */
const POOL_THRESHOLD = 600;

interface StoredFile {
  id: number;
  path: string;
  size: number;
  mtime_ms: number;
  hash: string;
  skip_reason: string | null;
}

function versionOf(db: IndexDb): number {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'version'").get() as { value: string } | undefined;
  return row ? Number(row.value) : 0;
}

function countIndexed(db: IndexDb): number {
  return (db.prepare('SELECT count(*) AS n FROM files WHERE skip_reason IS NULL').get() as { n: number }).n;
}

/** Everything left out: by name or size (from the last scan) and by content (kept on the file rows). */
export function skippedFiles(db: IndexDb): SkippedPath[] {
  const rows = db
    .prepare(
      `SELECT path, reason FROM skipped
       UNION ALL SELECT path, skip_reason AS reason FROM files WHERE skip_reason IS NOT NULL
       ORDER BY path`,
    )
    .all() as SkippedPath[];
  return rows;
}

const locks = new Map<string, Promise<unknown>>();

/** Serialises updates of one index within this process (they interleave at every `await` otherwise). */
async function exclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = locks.get(key) ?? Promise.resolve();
  const run = prev.then(fn, fn);
  const tail = run.catch(() => undefined);
  locks.set(key, tail);
  try {
    return await run;
  } finally {
    if (locks.get(key) === tail) locks.delete(key);
  }
}

export function openRepositoryIndex(repoRoot: string, opts: IndexOptions = {}): RepositoryIndex {
  const root = path.resolve(repoRoot);
  const db = openIndexDb(indexFileFor(root, opts.dataDir ?? resolveDataDir()));
  db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('id', ?)").run(crypto.randomUUID());
  const id = (db.prepare("SELECT value FROM meta WHERE key = 'id'").get() as { value: string }).value;
  return { root, db, version: versionOf(db), id, close: () => db.close() };
}

/**
 * Brings the index of `repoRoot` up to date with the files on disk: a file is re-read only
 * when its size or mtime changed, and re-parsed only when its content hash changed.
 */
export async function updateIndex(index: RepositoryIndex, opts: IndexOptions = {}): Promise<IndexStats> {
  return exclusive(index.db.name, async () => {
    const t0 = performance.now();
    const { root, db } = index;
    const walked = walkRepository(root, { maxFileBytes: opts.maxFileBytes });
    const stored = new Map<string, StoredFile>();
    for (const r of db.prepare('SELECT id, path, size, mtime_ms, hash, skip_reason FROM files').iterate() as Iterable<StoredFile>) {
      stored.set(r.path, r);
    }
    const writer = new IndexWriter(db);
    const present = new Set<string>();
    const toRead: WalkedFile[] = [];
    for (const f of walked.files) {
      present.add(f.path);
      const old = stored.get(f.path);
      if (!old || old.size !== f.size || old.mtime_ms !== f.mtimeMs) toRead.push(f);
    }

    let parsed = 0;
    const preparer = (toRead.length >= POOL_THRESHOLD ? workerPreparer() : null) ?? inThreadPreparer;
    const start = (from: number): Promise<Array<[WalkedFile, Prepared]>> =>
      Promise.all(
        toRead.slice(from, from + BATCH).map(async (f): Promise<[WalkedFile, Prepared]> => [f, await preparer.prepare({ root, file: f, knownHash: stored.get(f.path)?.hash ?? null })]),
      );
    try {
      // Double-buffered: the workers prepare the next batch while this thread writes the current one,
      // and batches are written in walk order, so file ids (and everything ranked on them) are deterministic.
      let next = toRead.length > 0 ? start(0) : null;
      for (let i = 0; next; i += BATCH) {
        const batch = await next;
        next = i + BATCH < toRead.length ? start(i + BATCH) : null;
        writer.transaction(() => {
          for (const [f, p] of batch) {
            if (p.kind === 'unchanged') writer.touch(f.path, f.size, f.mtimeMs);
            else if (p.kind === 'parsed') {
              writer.write(p.file);
              parsed++;
            }
          }
        });
        for (const [f, p] of batch) {
          if (p.kind !== 'unreadable') continue;
          walked.skipped.push({ path: f.path, reason: 'unreadable' });
          present.delete(f.path);
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      await preparer.close();
    }
    const changed = parsed > 0;

    const gone = [...stored.keys()].filter((p) => !present.has(p));
    writer.transaction(() => {
      for (const p of gone) writer.remove(p);
      writer.replaceSkipped(walked.skipped);
      if (changed || gone.length > 0) writer.meta('version', String(index.version + 1));
    });
    if (changed || gone.length > 0) index.version += 1;
    return { files: countIndexed(db), parsed, removed: gone.length, skipped: skippedFiles(db), ms: performance.now() - t0 };
  });
}

/**
 * Updates just the given paths (relative, forward slashes), for callers that know what changed
 * (a file watcher, an agent's edit): no walk of the tree, so one file takes milliseconds.
 */
export async function updateIndexedFiles(index: RepositoryIndex, relPaths: readonly string[], opts: IndexOptions = {}): Promise<IndexStats> {
  return exclusive(index.db.name, async () => {
    const t0 = performance.now();
    const { root, db } = index;
    const writer = new IndexWriter(db);
    const storedHash = db.prepare('SELECT hash FROM files WHERE path = ?');
    const work: Array<() => void> = [];
    let parsed = 0;
    let removed = 0;
    for (const relPath of [...new Set(relPaths)].sort()) {
      // Only paths inside the repository, as the walk would name them.
      if (relPath === '' || path.isAbsolute(relPath) || relPath.split('/').some((s) => s === '..' || s === '.' || s === '')) continue;
      const check = inspectPath(root, relPath, { maxFileBytes: opts.maxFileBytes });
      if (check.kind === 'absent') {
        work.push(() => {
          if (writer.remove(relPath)) removed++;
          writer.unskip(relPath);
        });
        continue;
      }
      if (check.kind === 'skipped') {
        work.push(() => {
          writer.remove(relPath);
          writer.addSkipped(check.skip);
        });
        continue;
      }
      const old = storedHash.get(relPath) as { hash: string } | undefined;
      const p = await prepareFile({ root, file: check.file, knownHash: old?.hash ?? null });
      if (p.kind === 'unreadable') {
        work.push(() => writer.addSkipped({ path: relPath, reason: 'unreadable' }));
        continue;
      }
      if (p.kind === 'unchanged') {
        work.push(() => writer.touch(relPath, check.file.size, check.file.mtimeMs));
        continue;
      }
      parsed++;
      work.push(() => {
        writer.unskip(relPath);
        writer.write(p.file);
      });
    }
    let changed = false;
    writer.transaction(() => {
      for (const w of work) w();
      changed = parsed > 0 || removed > 0;
      if (changed) writer.meta('version', String(index.version + 1));
    });
    if (changed) index.version += 1;
    return { files: countIndexed(db), parsed, removed, skipped: skippedFiles(db), ms: performance.now() - t0 };
  });
}
