// A worker thread that checkpoints the ledger's WAL on its own connection (see checkpointer.ts).
// Plain JavaScript on purpose: it needs nothing but better-sqlite3, so no TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    // PASSIVE: copies what no reader still needs and never blocks the gateway's writes.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    parentPort?.postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort?.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort?.postMessage({ stopped: true });
  parentPort?.close();
});
