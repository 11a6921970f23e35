import type { IncomingHttpHeaders } from 'node:http';
import type { ResponseSink } from './sink';
import type { ReplyBody } from '../providers/anthropic/upstream-post';

/** Writes a chunk and waits for 'drain' when the caller reads slower than the upstream sends. */
export function writeChunk(res: ResponseSink, chunk: Uint8Array | string): Promise<void> {
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

/** How a forwarded stream ended: all of it, the caller left, or the upstream failed (with why). */
export type StreamEnd = 'complete' | 'caller-gone' | Error;

/**
 * Forwards an upstream body to the caller chunk by chunk as it arrives, letting `onChunk` see each
 * one once it is written. Node events, not async iteration: a promise per chunk was measurable on the hot path.
 * Backpressure: a caller that reads slowly pauses the upstream until its socket drains.
 */
export function forwardStream(body: ReplyBody, res: ResponseSink, onChunk: (chunk: Buffer) => void): Promise<StreamEnd> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (end: StreamEnd) => {
      if (done) return;
      done = true;
      body.off('data', onData);
      res.off('drain', onDrain);
      res.off('close', onCallerClose);
      resolve(end);
    };
    const onDrain = () => body.resume();
    const onData = (chunk: Buffer) => {
      // The caller's bytes first: the reader (the usage tap) only looks, and the first chunk,
      // message_start, is the one it parses.
      const more = res.write(chunk);
      onChunk(chunk);
      if (!more) body.pause();
    };
    const onCallerClose = () => {
      if (res.writableFinished) return;
      body.destroy();
      finish('caller-gone');
    };
    body.on('data', onData);
    body.once('end', () => finish('complete'));
    body.once('error', (e) => finish(res.destroyed ? 'caller-gone' : e));
    body.once('close', () => finish(body.complete ? 'complete' : res.destroyed ? 'caller-gone' : new Error('the upstream closed the connection')));
    res.on('drain', onDrain);
    res.once('close', onCallerClose);
  });
}

/**
 * Response headers from the upstream that the caller should see (content type, request id, rate
 * limits), as a flat name, value… list that `writeHead` takes as is (see `RawPost.headers`).
 */
export function passThroughHeaders(h: IncomingHttpHeaders): string[] {
  const out: string[] = [];
  for (const k in h) {
    if (k === 'content-type' || k === 'request-id' || k === 'retry-after' || k.startsWith('anthropic-') || k === 'x-should-retry') {
      const v = h[k];
      if (v !== undefined) out.push(k, Array.isArray(v) ? v.join(', ') : v);
    }
  }
  return out;
}

/** A flat header list followed by the entries of `extra`. */
export function withHeaders(list: readonly string[], extra: Readonly<Record<string, string>>): string[] {
  const out = list.slice();
  for (const k in extra) out.push(k, extra[k] as string);
  return out;
}
