import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { BAD_HEADER_VALUE, HTTP_TOKEN } from '../http-syntax';

/**
 * A lean HTTP/1.1 server for the one request shape that carries an agent's traffic: a well-formed
 * POST with a Content-Length body, on a kept-alive connection. Node's server costs about 0.14 ms of
 * CPU per request more than this (IncomingMessage and ServerResponse as streams, lazy header
 * objects, a timer per socket), a fifth of the gateway's whole cost per request.
 *
 * Everything else goes to Node's server, unchanged: `pick` says which requests the lean path
 * serves, and at the first one it does not (another route, a bad Host or token, chunked or
 * `Expect` bodies, HTTP/1.0, upgrades, duplicate or odd header lines, a body over the limit), the
 * connection is handed over with every byte not yet consumed. So the errors, the UI, WebSockets
 * and any request smuggling defence are Node's, and this parser may be strict: when in doubt, it
 * hands over.
 */

/** A parsed request head, as the lean path sees it. */
export interface LeanHead {
  readonly method: string;
  /** The request target before any `?`. */
  readonly path: string;
  /** `?…`, or ''. */
  readonly search: string;
  /** Lower-case names, one value each (a repeated header hands the request to Node). Own properties only. */
  readonly headers: IncomingHttpHeaders;
  readonly contentLength: number;
}

/**
 * Serves one lean request; the body is complete. It must end or destroy `res`. The `pick` that
 * returned it has checked the declared length against its limit: the body is read into memory.
 */
export type LeanHandler = (head: LeanHead, body: Buffer, res: LeanResponse) => void;

export interface LeanHttpOptions {
  /** The handler for this request, or null to hand the connection to Node's server from here on. */
  pick(head: LeanHead): LeanHandler | null;
  /** Node's own connection handling (its server's 'connection' listeners). */
  handOff(socket: Socket): void;
  /** Slow-loris guards, as Node's server has them (ms). */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

/** Node's own default `maxHeaderSize`. */
const MAX_HEAD_BYTES = 16 * 1024;
/** Bytes of a pipelined next request buffered while a response is in flight before reading pauses. */
const MAX_PIPELINED_BYTES = 64 * 1024;

const REQUEST_LINE = /^([A-Z]{1,16}) (\/[\x21-\x7e]*) HTTP\/1\.1$/;
const DIGITS = /^\d{1,15}$/;

/** Parses a request head (without its final blank line), or null when Node should judge it. */
export function parseHead(text: string): LeanHead | null {
  let eol = text.indexOf('\r\n');
  if (eol < 0) eol = text.length;
  const rl = REQUEST_LINE.exec(text.slice(0, eol));
  if (!rl) return null;
  const headers: Record<string, string> = {};
  // By hand rather than a regular expression per line, into a plain object (a null-prototype one is
  // a dictionary): 4 µs for Claude Code's 15 headers instead of 10. A name that is already there,
  // an inherited one such as `constructor` included, sends the request to Node.
  while (eol < text.length) {
    const from = eol + 2;
    eol = text.indexOf('\r\n', from);
    if (eol < 0) eol = text.length;
    const colon = text.indexOf(':', from);
    if (colon <= from || colon > eol) return null;
    const name = text.slice(from, colon);
    if (!HTTP_TOKEN.test(name)) return null;
    let a = colon + 1;
    let b = eol;
    while (a < b && isBlank(text.charCodeAt(a))) a++;
    while (b > a && isBlank(text.charCodeAt(b - 1))) b--;
    const value = text.slice(a, b);
    const key = name.toLowerCase();
    if (BAD_HEADER_VALUE.test(value) || headers[key] !== undefined || key === '__proto__') return null;
    headers[key] = value;
  }
  if (headers['transfer-encoding'] !== undefined || headers.expect !== undefined || headers.upgrade !== undefined) return null;
  const connection = headers.connection?.toLowerCase();
  if (connection !== undefined && connection !== 'keep-alive' && connection !== 'close') return null;
  const cl = headers['content-length'];
  let contentLength = 0;
  if (cl !== undefined) {
    if (!DIGITS.test(cl)) return null;
    contentLength = Number(cl);
  }
  const target = rl[2] as string;
  const q = target.indexOf('?');
  return {
    method: rl[1] as string,
    path: q < 0 ? target : target.slice(0, q),
    search: q < 0 ? '' : target.slice(q),
    headers,
    contentLength,
  };
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

type Phase = 'head' | 'body' | 'responding' | 'gone';

export class LeanHttp {
  private readonly conns = new Set<LeanConnection>();
  private readonly timer: NodeJS.Timeout;

  constructor(readonly o: LeanHttpOptions) {
    // One sweep for every connection, like Node's server, rather than a timer per request.
    const every = Math.max(10, Math.min(1_000, o.headersTimeoutMs / 2, o.requestTimeoutMs / 2));
    this.timer = setInterval(() => this.sweep(performance.now()), every);
    this.timer.unref();
  }

  accept(socket: Socket): void {
    const c = new LeanConnection(this, socket);
    this.conns.add(c);
  }

  /** Lean connections open now (the rest are Node's). */
  get size(): number {
    return this.conns.size;
  }

  forget(c: LeanConnection): void {
    this.conns.delete(c);
  }

  close(): void {
    clearInterval(this.timer);
    for (const c of this.conns) c.socket.destroy();
    this.conns.clear();
  }

  private sweep(now: number): void {
    for (const c of this.conns) c.checkTimeouts(now);
  }
}

/** What a client too slow to send its request gets, here and from Node's server (server.ts). */
export const REQUEST_TIMEOUT = 'HTTP/1.1 408 Request Timeout\r\nconnection: close\r\n\r\n';
const INTERNAL_ERROR = Buffer.from(JSON.stringify({ type: 'error', error: { type: 'api_error', message: 'Sluice: internal error.' } }));

class LeanConnection {
  private phase: Phase = 'head';
  /** Bytes received and not yet consumed: a partial head, or a pipelined next request. */
  private pending: Buffer | null = null;
  /** Where to resume looking for the end of the head in `pending`. */
  private scanFrom = 0;
  /** When the current phase's clock started (performance.now()); a new connection waits for its head. */
  private since = performance.now();
  /** False between requests on a kept-alive connection until the next one's first byte. */
  private started = true;
  private head: LeanHead | null = null;
  private handler: LeanHandler | null = null;
  private body: Buffer | null = null;
  private filled = 0;
  private closeAfter = false;
  private res: LeanResponse | null = null;
  private readonly onData = (chunk: Buffer) => this.receive(chunk);
  private readonly onEnd = () => this.peerEnded();
  private readonly onClose = () => this.gone();
  private readonly onError = () => this.gone();
  private readonly onDrain = () => this.res?.emitDrain();

  constructor(
    private readonly server: LeanHttp,
    readonly socket: Socket,
  ) {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onClose);
    socket.on('error', this.onError);
    socket.on('drain', this.onDrain);
  }

  private receive(chunk: Buffer): void {
    if (this.phase === 'body') {
      this.fillBody(chunk, 0);
      return;
    }
    this.pending = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    if (this.phase === 'responding') {
      if (this.pending.length > MAX_PIPELINED_BYTES) this.socket.pause();
      return;
    }
    if (!this.started) {
      this.started = true;
      this.since = performance.now();
    }
    this.parse();
  }

  /** Looks for a complete head in `pending` and starts its request. */
  private parse(): void {
    const buf = this.pending;
    if (!buf) return;
    const end = buf.indexOf('\r\n\r\n', Math.max(0, this.scanFrom - 3), 'latin1');
    if (end < 0) {
      if (buf.length > MAX_HEAD_BYTES) this.handOff();
      else this.scanFrom = buf.length;
      return;
    }
    this.scanFrom = 0;
    const head = end <= MAX_HEAD_BYTES ? parseHead(buf.toString('latin1', 0, end)) : null;
    let handler: LeanHandler | null = null;
    try {
      handler = head ? this.server.o.pick(head) : null;
    } catch {
      // Node's server asks the gateway again, which answers the failure (500) in Anthropic's format.
      handler = null;
    }
    if (!head || !handler) {
      this.handOff();
      return;
    }
    this.head = head;
    this.handler = handler;
    this.closeAfter = head.headers.connection?.toLowerCase() === 'close';
    this.pending = null;
    this.phase = 'body';
    const start = end + 4;
    if (head.contentLength === 0) {
      this.body = Buffer.alloc(0);
      this.filled = 0;
      if (start < buf.length) this.pending = buf.subarray(start);
      this.dispatch();
      return;
    }
    // The whole body already here (the usual case): no copy.
    if (buf.length - start >= head.contentLength) {
      this.body = buf.subarray(start, start + head.contentLength);
      this.filled = head.contentLength;
      if (start + head.contentLength < buf.length) this.pending = buf.subarray(start + head.contentLength);
      this.dispatch();
      return;
    }
    this.body = Buffer.allocUnsafe(head.contentLength);
    this.filled = 0;
    this.fillBody(buf, start);
  }

  private fillBody(chunk: Buffer, from: number): void {
    const body = this.body as Buffer;
    const take = Math.min(body.length - this.filled, chunk.length - from);
    chunk.copy(body, this.filled, from, from + take);
    this.filled += take;
    if (from + take < chunk.length) this.pending = chunk.subarray(from + take);
    if (this.filled === body.length) this.dispatch();
  }

  private dispatch(): void {
    const head = this.head as LeanHead;
    const body = this.body as Buffer;
    const handler = this.handler as LeanHandler;
    this.body = null;
    this.handler = null;
    this.phase = 'responding';
    if (this.pending && this.pending.length > MAX_PIPELINED_BYTES) this.socket.pause();
    const res = new LeanResponse(this.socket, this.closeAfter, this);
    this.res = res;
    try {
      handler(head, body, res);
    } catch {
      // A handler that throws must not take the process down from a socket event.
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json', 'content-length': String(INTERNAL_ERROR.length), connection: 'close' });
        res.end(INTERNAL_ERROR);
      } else res.destroy();
    }
  }

  /** Called by the response once it has ended. */
  responseEnded(close: boolean): void {
    this.res = null;
    this.head = null;
    if (this.phase === 'gone') return;
    if (close || this.closeAfter) {
      this.detach();
      this.socket.end();
      return;
    }
    this.phase = 'head';
    this.started = false;
    this.since = performance.now();
    if (this.socket.isPaused()) this.socket.resume();
    if (this.pending) {
      // A pipelined request: start it once the current call stack has unwound.
      queueMicrotask(() => {
        if (this.phase !== 'head' || !this.pending) return;
        this.started = true;
        this.since = performance.now();
        this.parse();
      });
    }
  }

  /** The rest of this connection is Node's, from the first byte not yet consumed. */
  private handOff(): void {
    const rest = this.pending;
    this.pending = null;
    this.detach();
    this.socket.pause();
    if (rest) this.socket.unshift(rest);
    this.server.o.handOff(this.socket);
    this.socket.resume();
  }

  /** This connection is done with the socket: closed, timed out, or handed to Node. */
  private detach(): void {
    this.phase = 'gone';
    this.server.forget(this);
    const s = this.socket;
    s.off('data', this.onData);
    s.off('end', this.onEnd);
    s.off('close', this.onClose);
    s.off('error', this.onError);
    s.off('drain', this.onDrain);
    // Errors after we let go (a reset while closing) must not crash the process.
    if (s.listenerCount('error') === 0) s.on('error', () => {});
  }

  /**
   * The caller finished sending. As on Node's server, that is the caller leaving: a request in
   * flight is abandoned (its response sees 'close') and the connection ends.
   */
  private peerEnded(): void {
    const res = this.res;
    this.res = null;
    this.detach();
    this.socket.end();
    res?.socketClosed();
  }

  private gone(): void {
    if (this.phase === 'gone' && !this.res) return;
    this.detach();
    this.socket.destroy();
    const res = this.res;
    this.res = null;
    res?.socketClosed();
  }

  checkTimeouts(now: number): void {
    const o = this.server.o;
    const waited = now - this.since;
    if (this.phase === 'head') {
      if (this.started ? waited > o.headersTimeoutMs : waited > o.keepAliveTimeoutMs) this.timeOut(this.started);
    } else if (this.phase === 'body' && waited > o.requestTimeoutMs) {
      this.timeOut(true);
    }
  }

  private timeOut(answer: boolean): void {
    this.detach();
    if (answer && this.socket.writable) this.socket.end(REQUEST_TIMEOUT);
    else this.socket.destroy();
  }
}

type Listener = () => void;

const CRLF = Buffer.from('\r\n', 'latin1');
const LAST_CHUNK = Buffer.from('0\r\n\r\n', 'latin1');

let dateSecond = 0;
let dateText = '';
/** The Date header, formatted once a second. */
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

function addHeader(out: string[], name: string, value: string | number | readonly string[]): void {
  if (!HTTP_TOKEN.test(name)) throw new TypeError(`Invalid HTTP header name: "${name}"`);
  const values = typeof value === 'object' ? value : [String(value)];
  for (const v of values) {
    if (BAD_HEADER_VALUE.test(v)) throw new TypeError(`Invalid character in header "${name}"`);
    out.push(`${name}: ${v}\r\n`);
  }
}

/**
 * The part of Node's ServerResponse that the gateway uses, on a lean connection: one write per
 * call (the head rides with the first), chunked framing when no length is given, and 'close' and
 * 'drain' events without an EventEmitter per response.
 */
export class LeanResponse {
  headersSent = false;
  writableEnded = false;
  writableFinished = false;
  destroyed = false;
  private head: string | null = null;
  private chunked = false;
  private close = false;
  private closeListeners: Listener[] | null = null;
  private drainListeners: Listener[] | null = null;

  constructor(
    private readonly socket: Socket,
    private readonly closeRequested: boolean,
    private readonly conn: LeanConnection,
  ) {}

  writeHead(status: number, headers?: readonly string[] | Readonly<Record<string, string | number | readonly string[]>>): this {
    if (this.headersSent) throw new Error('Cannot write headers after they are sent to the client');
    const lines: string[] = [];
    let length = false;
    let connection: string | null = null;
    let date = false;
    const see = (name: string, value: string | number | readonly string[]) => {
      const lower = name.toLowerCase();
      if (lower === 'content-length') length = true;
      else if (lower === 'connection') connection = String(value).toLowerCase();
      else if (lower === 'date') date = true;
      else if (lower === 'transfer-encoding') throw new TypeError('Sluice frames lean responses itself; do not set transfer-encoding');
      addHeader(lines, name, value);
    };
    if (Array.isArray(headers)) {
      for (let i = 0; i + 1 < headers.length; i += 2) see(headers[i] as string, headers[i + 1] as string);
    } else if (headers) {
      const rec = headers as Readonly<Record<string, string | number | readonly string[]>>;
      for (const k in rec) see(k, rec[k] as string | number | readonly string[]);
    }
    this.close = this.closeRequested || connection === 'close';
    if (!date) lines.push(`date: ${httpDate()}\r\n`);
    if (connection === null) lines.push(this.close ? 'connection: close\r\n' : 'connection: keep-alive\r\nkeep-alive: timeout=65\r\n');
    if (!length) {
      this.chunked = true;
      lines.push('transfer-encoding: chunked\r\n');
    }
    this.head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\n${lines.join('')}\r\n`;
    this.headersSent = true;
    return this;
  }

  write(chunk: Uint8Array | string): boolean {
    if (this.writableEnded || this.destroyed) return false;
    if (!this.headersSent) this.writeHead(200);
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (data.length === 0 && this.head === null) return true;
    // Not corked until the turn ends, as Node's ServerResponse does: the upstream client hands on a
    // read's chunks as one, so there is one write per read anyway, and the first leaves before the
    // usage tap parses it.
    return this.socket.write(this.frame(data, false));
  }

  end(chunk?: Uint8Array | string): this {
    if (this.writableEnded) return this;
    if (!this.headersSent) this.writeHead(200, chunk === undefined ? { 'content-length': '0' } : {});
    this.writableEnded = true;
    if (!this.destroyed) {
      const data = chunk === undefined ? null : typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      this.socket.write(this.frame(data, true));
      this.writableFinished = true;
    }
    this.emitClose();
    this.conn.responseEnded(this.close);
    return this;
  }

  destroy(): this {
    if (this.destroyed) return this;
    this.socket.destroy();
    this.socketClosed();
    return this;
  }

  on(event: 'close' | 'drain', listener: Listener): this {
    if (event === 'close') (this.closeListeners ??= []).push(listener);
    else (this.drainListeners ??= []).push(listener);
    return this;
  }

  once(event: 'close' | 'drain', listener: Listener): this {
    const once = (): void => {
      this.off(event, once);
      listener();
    };
    (once as { listener?: Listener }).listener = listener;
    return this.on(event, once);
  }

  off(event: 'close' | 'drain', listener: Listener): this {
    const list = event === 'close' ? this.closeListeners : this.drainListeners;
    if (!list) return this;
    const i = list.findIndex((l) => l === listener || (l as { listener?: Listener }).listener === listener);
    if (i >= 0) list.splice(i, 1);
    return this;
  }

  /** The connection closed under this response (the caller left, or a reset). */
  socketClosed(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emitClose();
  }

  emitDrain(): void {
    const list = this.drainListeners;
    if (list) for (const l of list.slice()) l();
  }

  private emitClose(): void {
    const list = this.closeListeners;
    this.closeListeners = null;
    if (list) for (const l of list) l();
  }

  /** The bytes for one write: the head if not yet sent, then the data, framed if chunked. */
  private frame(data: Uint8Array | null, last: boolean): Buffer {
    const head = this.head;
    this.head = null;
    const n = data?.length ?? 0;
    const size = this.chunked && n > 0 ? `${n.toString(16)}\r\n` : '';
    const headLen = head === null ? 0 : head.length;
    const total = headLen + size.length + n + (this.chunked && n > 0 ? 2 : 0) + (this.chunked && last ? 5 : 0);
    const out = Buffer.allocUnsafe(total);
    let at = 0;
    if (head !== null) at += out.write(head, 0, 'latin1');
    if (size) at += out.write(size, at, 'latin1');
    if (data && n > 0) {
      out.set(data, at);
      at += n;
      if (this.chunked) at += CRLF.copy(out, at);
    }
    if (this.chunked && last) LAST_CHUNK.copy(out, at);
    return out;
  }
}
