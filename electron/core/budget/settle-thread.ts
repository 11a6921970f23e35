import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { Db } from '../ledger/db';
import type { Logger } from '../log';
import { commitSettlements, prepareSettleStatements, type SettleLimits, type SettleOutcome, type SettleRow, type SettleStatements } from './settle-writes';

/** Where the enforcer's settlement batches are committed: on its own thread, or on a settle thread. */
export interface SettleWriter {
  /** Commits `rows`; `done` runs once they are committed (at once, for the inline writer). */
  submit(rows: SettleRow[], limits: SettleLimits, done: (o: SettleOutcome) => void): void;
  /** Returns once every batch submitted so far is committed and its `done` has run. */
  drain(): void;
}

export function inlineWriter(db: Db, q: SettleStatements): SettleWriter {
  return {
    submit: (rows, limits, done) => done(commitSettlements(db, q, rows, limits)),
    drain: () => {},
  };
}

/** A batch as it crosses to the settle thread, and its answer. */
export interface SettleBatchMessage {
  seq: number;
  rows: SettleRow[];
  limits: SettleLimits;
}
export interface SettleReplyMessage {
  seq: number;
  ids: number[];
  errors: Array<string | null>;
  crossed: number[];
}
/** Everything the thread sends: answers, that its connection is open, a failed checkpoint. */
export type SettleThreadMessage = SettleReplyMessage | { ready: true } | { checkpointError: string };

/** The shared words: [0] counts answers (the thread notifies on it), [1] is 1 once the thread has exited (set by settle-worker.mjs). */
export const ANSWERS = 0;
export const EXITED = 1;

export interface SettleThread extends SettleWriter {
  /** Commits what is in flight and stops the thread; later batches are committed inline. */
  close(): Promise<void>;
  /** False once the thread has failed or closed (every batch is then committed inline). */
  running(): boolean;
  /** Whether the thread has opened its connection and takes batches. */
  ready(): boolean;
}

/** SQLite's default: a checkpoint once the WAL holds this many pages. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

/** How long `drain` waits for an answer before it takes the thread for dead (several busy timeouts). */
const DRAIN_DEADLINE_MS = 60_000;

/**
 * Commits the gateway's settlements on a worker thread with its own connection to the ledger.
 * Inline, a batch's transaction held the event loop 0.3 ms every 10 ms under 500 requests/s
 * (3.4% of the time; half of the requests above the p99 had waited behind one). The thread takes
 * that off the event loop; what the event loop keeps is posting the batch.
 *
 * Ordering and exactness are the inline writer's: batches commit in order on one connection, and
 * `drain` (which every reader and every other enforcer write calls first, through `flush`) blocks
 * until the thread has answered, so nothing in this process reads the ledger behind its own
 * settlements or takes the write lock while the thread holds it. A thread that fails or exits hands
 * what it had not answered back to the inline writer, in order.
 *
 * With `checkpointEveryMs` the thread also takes the ledger's WAL checkpoints (PASSIVE). SQLite runs a
 * checkpoint inside whichever commit crosses 1,000 WAL pages; under the gateway's load that was every
 * hundred requests or so, each holding the event loop 5–15 ms. The host runs this thread for its
 * checkpoints even where its settlements stay inline (`settleThread: false`).
 *
 * Returns null (settlements stay inline) for an in-memory ledger, or where the worker's file is not
 * shipped beside this one.
 */
export function startSettleThread(db: Db, log: Logger, o: { checkpointEveryMs?: number; script?: URL } = {}): SettleThread | null {
  if (db.memory || db.name === ':memory:') return null;
  // Beside this file: the tsx entry in the sources, the bundled worker in the desktop build.
  const script = o.script ?? new URL('./settle-worker.mjs', import.meta.url);
  if (script.protocol !== 'file:' || !fs.existsSync(fileURLToPath(script))) return null;
  const shared = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  let worker: Worker;
  try {
    worker = new Worker(script, { workerData: { file: db.name, port: port2, shared: shared.buffer, checkpointEveryMs: o.checkpointEveryMs ?? 0 }, transferList: [port2] });
  } catch (e) {
    log.log('warn', 'settlements stay on the event loop', { error: (e as Error).message });
    port1.close();
    return null;
  }
  worker.unref();
  port1.unref();
  const checkpoints = (o.checkpointEveryMs ?? 0) > 0;
  if (checkpoints) db.pragma('wal_autocheckpoint = 0');

  let inline: SettleWriter | null = null;
  const fallback = (): SettleWriter => (inline ??= inlineWriter(db, prepareSettleStatements(db)));
  const waiting = new Map<number, { rows: SettleRow[]; limits: SettleLimits; done: (o: SettleOutcome) => void }>();
  let seq = 0;
  let alive = true;
  // Until the thread says its connection is open, batches are committed here: a thread that cannot
  // start never holds one, so nothing ever waits on it.
  let ready = false;

  const answer = (m: SettleThreadMessage): void => {
    if ('ready' in m) {
      ready = true;
      return;
    }
    if ('checkpointError' in m) {
      log.log('warn', 'ledger checkpoint failed', { error: m.checkpointError });
      return;
    }
    const w = waiting.get(m.seq);
    if (!w) return;
    waiting.delete(m.seq);
    w.done({ ids: m.ids, errors: m.errors.map((e) => (e === null ? null : new Error(e))), crossed: m.crossed });
  };
  /** Checkpoints go back into this connection's commits (SQLite's default) once the thread is gone. */
  const inlineCheckpoints = (): void => {
    if (checkpoints && db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  };
  /** The thread is gone: what it had not answered is committed here, in order. */
  const fail = (why: string): void => {
    if (!alive) return;
    alive = false;
    inlineCheckpoints();
    log.log('warn', 'settle thread stopped; settlements are written on the event loop again', { error: why });
    void worker.terminate();
    port1.close();
    const left = [...waiting.values()];
    waiting.clear();
    for (const w of left) fallback().submit(w.rows, w.limits, w.done);
  };
  port1.on('message', answer);
  worker.on('error', (e) => fail(e.message));
  worker.on('exit', (code) => fail(`exited with code ${code}`));

  const drain = (): void => {
    const deadline = performance.now() + DRAIN_DEADLINE_MS;
    while (alive && waiting.size > 0) {
      const seen = Atomics.load(shared, ANSWERS);
      const m = receiveMessageOnPort(port1);
      if (m) {
        answer(m.message as SettleThreadMessage);
        continue;
      }
      if (Atomics.load(shared, EXITED) === 1) fail('exited');
      else if (performance.now() >= deadline) fail(`no answer in ${DRAIN_DEADLINE_MS / 1000} s`);
      else Atomics.wait(shared, ANSWERS, seen, Math.min(1_000, deadline - performance.now()));
    }
  };

  return {
    submit(rows, limits, done) {
      if (!alive || !ready) {
        fallback().submit(rows, limits, done);
        return;
      }
      seq += 1;
      const message: SettleBatchMessage = { seq, rows, limits };
      waiting.set(seq, { rows, limits, done });
      try {
        port1.postMessage(message);
      } catch (e) {
        waiting.delete(seq);
        fail((e as Error).message);
        fallback().submit(rows, limits, done);
      }
    },
    drain,
    running: () => alive,
    ready: () => alive && ready,
    close: () => {
      drain();
      if (!alive) return Promise.resolve();
      alive = false;
      return new Promise<void>((resolve) => {
        worker.once('exit', () => {
          port1.close();
          inlineCheckpoints();
          resolve();
        });
        port1.postMessage('stop');
      });
    },
  };
}
