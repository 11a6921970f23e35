import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Db } from './db';
import type { Logger } from '../log';

/** SQLite's default: a checkpoint once the WAL holds this many pages. */
export const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

export interface BackgroundCheckpoints {
  stop(): Promise<void>;
}

/**
 * Moves the ledger's WAL checkpoints off the event loop. SQLite runs a checkpoint inside whichever
 * commit crosses 1,000 WAL pages; under the gateway's load that is every hundred requests or so,
 * and each one held the event loop for 5–15 ms (measured: the worst settle went from 6–16 ms to
 * 1.3 ms without them), which is the p99 of every request waiting behind it. A worker thread with
 * its own connection checkpoints instead, PASSIVE, a few times a second.
 *
 * Returns null (and SQLite keeps checkpointing inline) for an in-memory ledger, or where the
 * worker's file is not shipped beside this one.
 */
export function startBackgroundCheckpoints(db: Db, log: Logger, everyMs = 200): BackgroundCheckpoints | null {
  if (db.memory || db.name === ':memory:') return null;
  const script = new URL('./checkpoint-worker.mjs', import.meta.url);
  if (script.protocol !== 'file:' || !fs.existsSync(fileURLToPath(script))) return null;
  let worker: Worker;
  try {
    worker = new Worker(script, { workerData: { file: db.name, everyMs } });
  } catch (e) {
    log.log('warn', 'ledger checkpoints stay inline', { error: (e as Error).message });
    return null;
  }
  worker.unref();
  db.pragma('wal_autocheckpoint = 0');
  let running = true;
  const inline = () => {
    if (!running) return;
    running = false;
    if (db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  };
  worker.on('message', (m: { error?: string }) => {
    if (m.error) log.log('warn', 'ledger checkpoint failed', { error: m.error });
  });
  worker.on('error', (e) => {
    log.log('warn', 'ledger checkpoint worker failed; checkpoints are inline again', { error: e.message });
    inline();
  });
  worker.on('exit', inline);
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (!running) {
          resolve();
          return;
        }
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
      }),
  };
}
