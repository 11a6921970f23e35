// The settle thread: commits the enforcer's settlement batches on its own connection, in the order
// they arrive, and answers each on the port it was given (see settle-thread.ts).
import { workerData, type MessagePort } from 'node:worker_threads';
import { connectLedger } from '../ledger/db';
import { commitSettlements, prepareSettleStatements } from './settle-writes';
import { ANSWERS, EXITED, type SettleBatchMessage, type SettleReplyMessage } from './settle-thread';

const { file, port, shared: buffer } = workerData as { file: string; port: MessagePort; shared: SharedArrayBuffer };
const shared = new Int32Array(buffer);
const wake = (): void => {
  Atomics.add(shared, ANSWERS, 1);
  Atomics.notify(shared, ANSWERS);
};
process.on('exit', () => {
  Atomics.store(shared, EXITED, 1);
  wake();
});

const db = connectLedger(file);
const q = prepareSettleStatements(db);
port.on('message', (m: SettleBatchMessage | 'stop') => {
  if (m === 'stop') {
    db.close();
    port.close();
    return;
  }
  const o = commitSettlements(db, q, m.rows, m.limits);
  const reply: SettleReplyMessage = { seq: m.seq, ids: o.ids, errors: o.errors.map((e) => (e ? e.message : null)), crossed: o.crossed };
  port.postMessage(reply);
  wake();
});
