// Entry of the settle thread (settle-thread.ts). The core runs as TypeScript through tsx's loader
// (see bin/sluice.mjs), and a worker thread does not inherit the loader, so it registers it first.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

// First of all: however this thread ends, even before it has loaded, the event loop's thread must
// learn it, since it may be blocked waiting for an answer (see `drain`). Indices: settle-thread.ts.
const shared = new Int32Array(workerData.shared);
process.on('exit', () => {
  Atomics.store(shared, 1, 1);
  Atomics.add(shared, 0, 1);
  Atomics.notify(shared, 0);
});

register();
await import('./settle-worker-main.ts');
