import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './parse-worker-main';
import { prepareFile, type Prepared, type PrepareRequest } from './prepare';
import { fromWire } from './wire';

/** Reads, parses and splits files into what the index stores, in this thread or spread over worker threads. */
export interface FilePreparer {
  prepare(req: PrepareRequest): Promise<Prepared>;
  close(): Promise<void>;
}

export const inThreadPreparer: FilePreparer = {
  prepare: prepareFile,
  close: async () => undefined,
};

interface Pending {
  resolve: (p: Prepared) => void;
  reject: (e: Error) => void;
}

/**
 * Worker threads for a large (first) index: tree-sitter's WebAssembly parser runs at a few
 * MB/s on one core, so a 10,000-file repository needs every core. Each worker does all of a
 * file's work (read, hash, parse, split terms); the calling thread only writes SQLite, so it
 * never becomes the bottleneck. Workers exist only where the core runs from its TypeScript
 * sources (the CLI, `sluice serve`, tests); a bundled build without the worker file prepares
 * in its own thread. Any worker failure falls back to the calling thread for that file, so the
 * pool can only make indexing faster, never wrong.
 */
export function workerPreparer(size = Math.min(8, os.availableParallelism())): (FilePreparer & { fallbacks(): number }) | null {
  if (!import.meta.url.endsWith('.ts') || size < 2) return null;
  const workers: Array<{ worker: Worker; pending: Map<number, Pending>; alive: boolean }> = [];
  for (let i = 0; i < size; i++) {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./parse-worker.mjs', import.meta.url));
    } catch {
      break;
    }
    const slot = { worker, pending: new Map<number, Pending>(), alive: true };
    worker.on('message', (reply: WorkerReply) => {
      const p = slot.pending.get(reply.id);
      if (!p) return;
      slot.pending.delete(reply.id);
      if ('error' in reply) p.reject(new Error(reply.error));
      else p.resolve(fromWire(reply.prepared));
    });
    const fail = (e: unknown): void => {
      slot.alive = false;
      for (const p of slot.pending.values()) p.reject(e instanceof Error ? e : new Error(String(e)));
      slot.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', () => fail(new Error('parse worker exited')));
    workers.push(slot);
  }
  if (workers.length < 2) {
    for (const w of workers) void w.worker.terminate();
    return null;
  }
  let nextId = 0;
  let fallbacks = 0;
  const inThread = (req: PrepareRequest): Promise<Prepared> => {
    fallbacks++;
    return prepareFile(req);
  };
  return {
    fallbacks: () => fallbacks,
    prepare(req) {
      const live = workers.filter((w) => w.alive);
      if (live.length === 0) return inThread(req);
      const slot = live.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      return new Promise<Prepared>((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        slot.worker.postMessage({ id, ...req } satisfies WorkerRequest);
      }).catch(() => inThread(req));
    },
    async close() {
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}
