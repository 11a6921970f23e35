import { parentPort } from 'node:worker_threads';
import { prepareFile, type Prepared, type PrepareRequest } from './prepare';
import { toWire, type WirePrepared } from './wire';

export interface WorkerRequest extends PrepareRequest {
  id: number;
}

export type WorkerReply = { id: number; prepared: WirePrepared } | { id: number; error: string };

parentPort?.on('message', (req: WorkerRequest) => {
  prepareFile(req).then(
    (p: Prepared) => parentPort?.postMessage({ id: req.id, prepared: toWire(p) } satisfies WorkerReply),
    (e: unknown) => parentPort?.postMessage({ id: req.id, error: String(e) } satisfies WorkerReply),
  );
});
