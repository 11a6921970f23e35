import type { IncomingHttpHeaders } from 'node:http';
import { Http1Client, type ReplyBody } from './http1-client';

export type { ReplyBody } from './http1-client';

/** An upstream answer: the body arrives chunk by chunk off the socket (read it or destroy it). */
export interface UpstreamReply {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: IncomingHttpHeaders;
  readonly body: ReplyBody;
}

/** The `Headers.get` view the retry policy and error paths read (case-insensitive, joined lists). */
export interface HeaderLookup {
  get(name: string): string | null;
}

export function headerLookup(h: IncomingHttpHeaders): HeaderLookup {
  return {
    get(name) {
      const v = h[name.toLowerCase()];
      return v === undefined ? null : Array.isArray(v) ? v.join(', ') : String(v);
    },
  };
}

/**
 * A one-shot cancellation for the hot path. An AbortController per request (an EventTarget, plus
 * AbortSignal.any / AbortSignal.timeout with their weak references) was measurable CPU and garbage
 * on the gateway bench; this is a flag and one listener, which is all a single call needs.
 */
export class Cancellation {
  aborted = false;
  private listener: (() => void) | null = null;

  cancel(): void {
    if (this.aborted) return;
    this.aborted = true;
    const l = this.listener;
    this.listener = null;
    l?.();
  }

  /** The one listener of the current step (the request in flight, or the wait before a retry). */
  onCancel(fn: (() => void) | null): void {
    this.listener = fn;
    if (fn && this.aborted) {
      this.listener = null;
      fn();
    }
  }
}

export class CancelledError extends Error {
  override readonly name = 'AbortError';
  constructor() {
    super('The operation was aborted');
  }
}

/** No answer before the per-attempt timeout (the socket stayed idle that long). */
export class UpstreamTimeoutError extends Error {
  constructor(ms: number) {
    super(`Request timed out (no data from the upstream for ${Math.round(ms / 1000)} s).`);
  }
}

export interface RawPost {
  /** Path (with its query string) below the base URL. */
  path: string;
  /**
   * Headers as a flat name, value, name, value… list (the form of Node's `rawHeaders`); host,
   * content-length and accept-encoding are added here. A list, not an object: with the answer's
   * headers, the header objects spread together per request were most of what still survived into
   * the old generation on the gateway bench (0.14 → 0.01 MB per scavenge at 500 requests/s).
   */
  headers: readonly string[];
  body: Uint8Array;
  cancel?: Cancellation;
}

/**
 * POSTs bytes to the upstream on a keep-alive pool of its own (`http1-client.ts`) and resolves with
 * the answer's head; the body follows chunk by chunk, so the gateway forwards it with no WHATWG layer
 * (Response, Headers and web streams were a third of the gateway's CPU per request) and without
 * Node's http client (a quarter of what was left).
 *
 * The timeout is the socket's idle timeout: an upstream that neither answers nor sends a byte for
 * `timeoutMs` is dropped, while a long generation that keeps streaming is not.
 */
export function createUpstreamPoster(baseURL: string, timeoutMs: number): (call: RawPost) => Promise<UpstreamReply> {
  const base = new URL(baseURL);
  const secure = base.protocol === 'https:';
  if (!secure && base.protocol !== 'http:') throw new Error(`The upstream URL must be http or https (got ${baseURL}).`);
  const prefix = base.pathname.replace(/\/+$/, '');
  const client = new Http1Client({
    host: base.hostname.startsWith('[') ? base.hostname.slice(1, -1) : base.hostname,
    port: Number(base.port || (secure ? 443 : 80)),
    tls: secure,
    hostHeader: base.host,
    timeoutMs,
    timeoutError: (ms) => new UpstreamTimeoutError(ms),
  });

  return async (call) => {
    const cancel = call.cancel;
    if (cancel?.aborted) throw new CancelledError();
    const res = await client.request({
      path: prefix + call.path,
      // Identity, so the bytes we forward are exactly the upstream's.
      headers: [...call.headers, 'accept-encoding', 'identity'],
      body: call.body,
      onAbortable: cancel ? (abort) => cancel.onCancel(() => abort(new CancelledError())) : undefined,
    });
    return { status: res.status, ok: res.status >= 200 && res.status < 300, headers: res.headers, body: res.body };
  };
}

/** Past this many bytes, `readAll` stops reading and rejects with `tooLarge()`. */
export interface ReadLimit {
  bytes: number;
  tooLarge: () => Error;
}

/**
 * Reads a whole message body: an upstream answer (error answers, JSON answers, count_tokens) or a
 * caller's request. With events, not `for await` (the async iterator was a measurable share of a
 * gateway request). `cutShort` is the error when the peer closes before the end.
 */
export function readAll(body: ReplyBody, cutShort = 'the upstream closed the connection before the end of its answer', limit?: ReadLimit): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (limit && size > limit.bytes) {
        body.off('data', onData);
        body.resume();
        reject(limit.tooLarge());
        return;
      }
      chunks.push(c);
    };
    body.on('data', onData);
    body.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
    body.once('error', reject);
    body.once('close', () => {
      if (!body.complete) reject(new Error(cutShort));
    });
  });
}
