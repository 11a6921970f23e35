import type { ServerResponse } from 'node:http';

/** Writes a chunk and waits for 'drain' when the caller reads slower than the upstream sends. */
export function writeChunk(res: ServerResponse, chunk: Uint8Array | string): Promise<void> {
  if (res.destroyed || res.writableEnded) return Promise.resolve();
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Iterates a web ReadableStream's chunks (fetch bodies), releasing the reader on exit. */
export async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Response headers from the upstream that the caller should see (content type, request id, rate limits). */
export function passThroughHeaders(h: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  h.forEach((value, key) => {
    const k = key.toLowerCase();
    if (k === 'content-type' || k === 'request-id' || k === 'retry-after' || k.startsWith('anthropic-') || k === 'x-should-retry') out[k] = value;
  });
  return out;
}
