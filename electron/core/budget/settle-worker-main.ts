// The settle thread: commits the enforcer's settlement batches on its own connection, in the order
// they arrive, and answers each on the port it was given (see settle-thread.ts).
import { workerData, type MessagePort } from 'node:worker_threads';
import { connectLedger } from '../ledger/db';
import { commitSettlements, prepareSettleStatements } from './settle-writes';
import { ANSWERS, EXITED, type SettleBatchMessage, type SettleReplyMessage, type SettleThreadMessage } from './settle-thread';

const { file, port, shared: buffer, checkpointEveryMs } = workerData as { file: string; port: MessagePort; shared: SharedArrayBuffer; checkpointEveryMs: number };
const shared = new Int32Array(buffer);
const wake = (): void => {
  Atomics.add(shared, ANSWERS, 1);
  Atomics.notify(shared, ANSWERS);
};
// The tsx entry (settle-worker.mjs) says so before loading anything; the desktop build runs this
// file bundled as its entry, so it says so here too (twice is harmless).
process.on('exit', () => {
  Atomics.store(shared, EXITED, 1);
  wake();
});

const db = connectLedger(file);
const q = prepareSettleStatements(db);
// The thread also takes the ledger's WAL checkpoints (see settle-thread.ts), on this connection:
// PASSIVE copies what no reader still needs and never blocks a writer.
const checkpoint = (): void => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    const message: SettleThreadMessage = { checkpointError: e instanceof Error ? e.message : String(e) };
    port.postMessage(message);
  }
};
const timer = checkpointEveryMs > 0 ? setInterval(checkpoint, checkpointEveryMs) : null;
const ready: SettleThreadMessage = { ready: true };
port.postMessage(ready);
port.on('message', (m: SettleBatchMessage | 'stop') => {
  if (m === 'stop') {
    if (timer) {
      clearInterval(timer);
      checkpoint();
    }
    db.close();
    port.close();
    return;
  }
  const o = commitSettlements(db, q, m.rows, m.limits);
  const reply: SettleReplyMessage = { seq: m.seq, ids: o.ids, errors: o.errors.map((e) => (e ? e.message : null)), crossed: o.crossed };
  port.postMessage(reply);
  wake();
});
