import net from 'node:net';
import tls from 'node:tls';
import type { IncomingHttpHeaders } from 'node:http';
import { BAD_HEADER_VALUE, HTTP_TOKEN } from '../../http-syntax';

/**
 * A keep-alive HTTP/1.1 client for one origin, straight on sockets: the gateway's upstream leg.
 *
 * Node's http.request with an Agent cost the gateway about a quarter of its event loop per request on
 * the bench (ClientRequest and OutgoingMessage, the agent's bookkeeping, IncomingMessage as a stream):
 * more than the bare proxy the gateway is compared with. This sends one request as one write and
 * parses the answer with a small state machine, handing the body out chunk by chunk as it arrives.
 * It speaks only what an API upstream answers: content-length, chunked and read-to-close bodies,
 * interim 1xx answers skipped, no upgrades.
 */

/** The answer's body as events, like Node's IncomingMessage: 'data', then 'end' and 'close', or 'error' and 'close'. */
export interface ReplyBody {
  /** True once the whole body arrived (a body cut short stays false). */
  readonly complete: boolean;
  on(event: 'data', fn: (chunk: Buffer) => void): this;
  on(event: 'end' | 'close', fn: () => void): this;
  on(event: 'error', fn: (e: Error) => void): this;
  once(event: 'end' | 'close', fn: () => void): this;
  once(event: 'error', fn: (e: Error) => void): this;
  off(event: 'data', fn: (chunk: Buffer) => void): this;
  pause(): this;
  resume(): this;
  /** Drops the connection (it cannot be reused mid-body); with an error, 'error' is emitted first. */
  destroy(error?: Error): this;
}

export interface Http1Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: ReplyBody;
}

export interface Http1Request {
  path: string;
  /** Flat name, value… list; content-length and host are added. */
  headers: readonly string[];
  body: Uint8Array;
  /** Called at once with a function that aborts this request (before or after its answer's head). */
  onAbortable?: (abort: (error: Error) => void) => void;
}

export interface Http1ClientOptions {
  host: string;
  port: number;
  tls: boolean;
  /** The Host header value (`example.com` or `example.com:8443`). */
  hostHeader: string;
  /** An exchange whose socket stays silent this long fails with `timeoutError()`. */
  timeoutMs: number;
  timeoutError: (ms: number) => Error;
  /**
   * Idle sockets are closed after this long, or a second before the server's own `Keep-Alive:
   * timeout=N` when it states one (a socket the server has just dropped fails the request sent on it).
   */
  idleMs?: number;
  /** Extra TLS options (a private CA, say); the system's CAs verify the server by default. */
  tlsOptions?: Omit<tls.ConnectionOptions, 'host' | 'port' | 'servername' | 'ALPNProtocols'>;
}

/** A head this large is not an API's answer. */
const MAX_HEAD_BYTES = 64 * 1024;
/** Long enough to keep a connection between the turns of an agent's session (a new TLS connection costs round trips). */
const DEFAULT_IDLE_MS = 30_000;

type Fn<A extends unknown[]> = (...a: A) => void;

/**
 * The body of one answer. Chunks wait until a reader attaches a 'data' listener (on the next tick,
 * so it can attach 'end' and 'error' first, as with a Node stream) and while it is paused; pausing
 * stops reading the socket, so a slow caller holds the upstream back. A minimal emitter, not an
 * EventEmitter: four kinds of listener, each list replaced rather than mutated while it runs.
 */
class Body implements ReplyBody {
  complete = false;
  private closed = false;
  private flowing = false;
  private paused = false;
  private ended = false;
  private failure: { error: Error | null } | null = null;
  private readonly queue: Buffer[] = [];
  private dataFns: Fn<[Buffer]>[] = [];
  private endFns: Fn<[]>[] = [];
  private closeFns: Fn<[]>[] = [];
  private errorFns: Fn<[Error]>[] = [];

  constructor(private readonly conn: Connection) {}

  on(event: 'data', fn: (chunk: Buffer) => void): this;
  on(event: 'end' | 'close', fn: () => void): this;
  on(event: 'error', fn: (e: Error) => void): this;
  on(event: 'data' | 'end' | 'close' | 'error', fn: Fn<[Buffer]> | Fn<[]> | Fn<[Error]>): this {
    if (event === 'data') {
      this.dataFns = [...this.dataFns, fn as Fn<[Buffer]>];
      if (!this.flowing) {
        this.flowing = true;
        process.nextTick(() => this.drain());
      }
    } else if (event === 'error') this.errorFns = [...this.errorFns, fn as Fn<[Error]>];
    else if (event === 'end') this.endFns = [...this.endFns, fn as Fn<[]>];
    else this.closeFns = [...this.closeFns, fn as Fn<[]>];
    return this;
  }

  /** 'end', 'close' and 'error' each happen once, so `once` is `on`. */
  once(event: 'end' | 'close', fn: () => void): this;
  once(event: 'error', fn: (e: Error) => void): this;
  once(event: 'end' | 'close' | 'error', fn: Fn<[]> | Fn<[Error]>): this {
    return event === 'error' ? this.on(event, fn as Fn<[Error]>) : this.on(event, fn as Fn<[]>);
  }

  off(event: 'data', fn: (chunk: Buffer) => void): this {
    if (event === 'data') this.dataFns = this.dataFns.filter((f) => f !== fn);
    return this;
  }

  pause(): this {
    if (!this.paused && !this.closed) {
      this.paused = true;
      if (!this.ended) this.conn.socket.pause();
    }
    return this;
  }

  resume(): this {
    if (!this.flowing) this.flowing = true;
    if (this.paused) {
      this.paused = false;
      this.drain();
    }
    return this;
  }

  destroy(error?: Error): this {
    if (this.closed || this.failure) return this;
    if (this.ended) this.fail(error ?? null);
    else this.conn.abort(error ?? null);
    return this;
  }

  /** @internal A chunk of the body as it came off the socket. */
  push(chunk: Buffer): void {
    if (this.flowing && !this.paused && this.queue.length === 0) this.emitData(chunk);
    else this.queue.push(chunk);
  }

  /** @internal The whole body arrived; 'end' waits for the reader to take what is queued. */
  end(): void {
    this.ended = true;
    this.complete = true;
    this.drain();
  }

  /** @internal The connection failed or was aborted before the end; a reader not yet attached hears it when it attaches. */
  fail(error: Error | null): void {
    if (this.closed || this.failure) return;
    this.failure = { error };
    this.queue.length = 0;
    if (this.flowing) this.drain();
  }

  private drain(): void {
    if (this.closed || !this.flowing) return;
    if (this.failure) {
      this.closed = true;
      const e = this.failure.error;
      if (e) for (const f of this.errorFns) f(e);
      for (const f of this.closeFns) f();
      return;
    }
    while (!this.paused && !this.closed && !this.failure && this.queue.length > 0) this.emitData(this.queue.shift() as Buffer);
    if (this.paused || this.closed || this.failure) return;
    if (this.ended) {
      this.closed = true;
      for (const f of this.endFns) f();
      for (const f of this.closeFns) f();
    } else this.conn.socket.resume();
  }

  private emitData(chunk: Buffer): void {
    const fns = this.dataFns;
    for (let k = 0; k < fns.length; k++) (fns[k] as Fn<[Buffer]>)(chunk);
  }
}

type State = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailer' | 'to-close' | 'done';

interface Exchange {
  resolve: (r: Http1Reply) => void;
  reject: (e: Error) => void;
  body: Body | null;
  aborted: Error | null;
}

/** One socket and the exchange on it, if any. */
class Connection {
  readonly socket: net.Socket;
  ex: Exchange | null = null;
  private state: State = 'head';
  private head: Buffer | null = null;
  private remaining = 0;
  private line = '';
  /** Chunk data of the current read, not yet handed on (see `flushPieces`). */
  private pieces: Buffer[] = [];
  private keepAlive = true;
  closed = false;
  /** How long it may idle, from the server's Keep-Alive hint. */
  idleMs: number | null = null;

  constructor(
    private readonly client: Http1Client,
    private readonly o: Http1ClientOptions,
  ) {
    this.socket = o.tls
      ? tls.connect({ ...o.tlsOptions, host: o.host, port: o.port, servername: net.isIP(o.host) ? undefined : o.host, ALPNProtocols: ['http/1.1'] })
      : net.connect({ host: o.host, port: o.port });
    this.socket.setNoDelay(true);
    // TCP keep-alive probes notice a peer that vanished without closing (a sleeping laptop, a NAT).
    this.socket.setKeepAlive(true, 15_000);
    this.socket.on('data', (d: Buffer) => this.onData(d));
    this.socket.on('end', () => this.onEnd());
    this.socket.on('error', (e: Error) => this.fail(e));
    this.socket.on('close', () => this.fail(null));
    this.socket.on('timeout', () => {
      if (this.ex) this.abort(this.o.timeoutError(this.o.timeoutMs));
      else this.socket.destroy();
    });
  }

  send(req: Http1Request, ex: Exchange): void {
    this.ex = ex;
    this.state = 'head';
    this.head = null;
    this.keepAlive = true;
    this.socket.ref();
    this.socket.setTimeout(this.o.timeoutMs);
    let head = `POST ${req.path} HTTP/1.1\r\nhost: ${this.o.hostHeader}\r\n`;
    const h = req.headers;
    for (let i = 0; i + 1 < h.length; i += 2) head += `${h[i]}: ${h[i + 1]}\r\n`;
    head += `content-length: ${req.body.byteLength}\r\n\r\n`;
    this.socket.cork();
    this.socket.write(head, 'latin1');
    this.socket.write(req.body);
    this.socket.uncork();
  }

  /** Aborts the exchange in progress: the socket goes (a half-read answer cannot be resumed). */
  abort(error: Error | null): void {
    const ex = this.ex;
    if (ex && error) ex.aborted ??= error;
    this.fail(error);
    this.socket.destroy();
  }

  private onData(d: Buffer): void {
    if (!this.ex) {
      // Bytes nobody asked for: the connection is out of step.
      this.socket.destroy();
      return;
    }
    const ex = this.ex;
    let i = 0;
    while (i < d.length && this.ex === ex) {
      switch (this.state) {
        case 'head':
          i = this.readHead(d, i);
          break;
        case 'length': {
          const n = Math.min(this.remaining, d.length - i);
          this.remaining -= n;
          ex.body?.push(i === 0 && n === d.length ? d : d.subarray(i, i + n));
          i += n;
          if (this.remaining === 0) this.done();
          break;
        }
        case 'to-close':
          ex.body?.push(i === 0 ? d : d.subarray(i));
          i = d.length;
          break;
        case 'chunk-data': {
          const n = Math.min(this.remaining, d.length - i);
          this.remaining -= n;
          if (n > 0) this.pieces.push(d.subarray(i, i + n));
          i += n;
          if (this.remaining === 0) this.state = 'chunk-end';
          break;
        }
        case 'chunk-size':
        case 'chunk-end':
        case 'trailer': {
          const nl = d.indexOf(10, i);
          // The usual lines, whole in this read, from the bytes: no strings, no regular expressions.
          if (nl >= 0 && this.line === '' && this.state !== 'trailer') {
            if (this.state === 'chunk-end') {
              if (nl === i + 1 && d[i] === 13) {
                this.state = 'chunk-size';
                i = nl + 1;
                break;
              }
            } else {
              const next = this.chunkSize(d, i, nl);
              if (next >= 0) {
                i = next;
                break;
              }
            }
          }
          if (nl < 0) {
            this.line += d.toString('latin1', i);
            i = d.length;
            if (this.line.length > 1024) this.protocolError('a chunk-size line longer than 1 kB');
            break;
          }
          const line = (this.line + d.toString('latin1', i, nl)).replace(/\r$/, '');
          this.line = '';
          i = nl + 1;
          this.onLine(line);
          break;
        }
        case 'done':
          this.protocolError('bytes after the end of the answer');
          return;
      }
    }
    this.flushPieces(ex);
    // Bytes past the end of the answer: the connection is out of step (its next exchange, if any, fails and is retried).
    if (i < d.length && !this.closed) this.protocolError('bytes after the end of the answer');
  }

  /**
   * The chunks' data of one read, handed on as one piece: an upstream that streams faster than we
   * read sends several events per read (8 on the gateway bench), and each piece costs the gateway
   * a pass through the usage tap and a write to the caller.
   */
  private flushPieces(ex: Exchange): void {
    const pieces = this.pieces;
    if (pieces.length === 0) return;
    this.pieces = [];
    // Aborted during this read: nothing more is handed on.
    if (this.ex !== ex) return;
    ex.body?.push(pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces));
  }

  /** A chunk-size line from d[i..nl]: where the chunk's data starts, or -1 to take the general path. */
  private chunkSize(d: Buffer, i: number, nl: number): number {
    let size = 0;
    let k = i;
    for (; k < nl && k - i < 12; k++) {
      const c = d[k] as number;
      const v = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (v < 0) break;
      size = size * 16 + v;
    }
    // Exactly "<hex>\r\n"; anything else (extensions, blanks, a bare LF) is the general path's.
    if (k === i || k !== nl - 1 || d[k] !== 13) return -1;
    this.remaining = size;
    this.state = size === 0 ? 'trailer' : 'chunk-data';
    return nl + 1;
  }

  private onLine(line: string): void {
    if (this.state === 'chunk-end') {
      if (line !== '') this.protocolError('a chunk not followed by CRLF');
      else this.state = 'chunk-size';
      return;
    }
    if (this.state === 'trailer') {
      if (line === '') this.done();
      return;
    }
    const m = /^([0-9a-fA-F]{1,12})[ \t]*(;.*)?$/.exec(line);
    if (!m) {
      this.protocolError(`a bad chunk size "${line.slice(0, 40)}"`);
      return;
    }
    this.remaining = parseInt(m[1] as string, 16);
    this.state = this.remaining === 0 ? 'trailer' : 'chunk-data';
  }

  /** Reads (part of) the head from `d` at `i`; returns where the body starts, or d.length. */
  private readHead(d: Buffer, i: number): number {
    const prior = this.head ? this.head.length : 0;
    const buf = this.head ? Buffer.concat([this.head, d.subarray(i)]) : i === 0 ? d : d.subarray(i);
    const end = buf.indexOf('\r\n\r\n', Math.max(0, prior - 3), 'latin1');
    if (end < 0) {
      if (buf.length > MAX_HEAD_BYTES) this.protocolError('an answer head over 64 kB');
      else this.head = Buffer.from(buf);
      return d.length;
    }
    this.head = null;
    const next = i + end + 4 - prior;
    const parsed = parseHead(buf.toString('latin1', 0, end));
    if (typeof parsed === 'string') {
      this.protocolError(parsed);
      return d.length;
    }
    if (parsed.status < 200) return next; // 100 Continue, 103 Early Hints: the real answer follows.
    const h = parsed.headers;
    this.keepAlive = parsed.http11 && !/(^|,)\s*close\s*(,|$)/i.test(String(h.connection ?? ''));
    const hint = /(?:^|,)\s*timeout\s*=\s*(\d+)/i.exec(String(h['keep-alive'] ?? ''));
    if (hint) this.idleMs = Math.min(600_000, Math.max(500, Number(hint[1]) * 1000 - 1000));
    const te = h['transfer-encoding'];
    const cl = h['content-length'];
    if (parsed.status === 204 || parsed.status === 304) this.state = 'done';
    else if (te !== undefined) {
      if (!/(^|,)\s*chunked\s*$/i.test(String(te))) {
        this.protocolError(`a transfer-encoding it cannot read ("${String(te)}")`);
        return d.length;
      }
      this.state = 'chunk-size';
    } else if (cl !== undefined) {
      if (!/^\d{1,15}$/.test(String(cl))) {
        this.protocolError(`a bad content-length "${String(cl)}"`);
        return d.length;
      }
      this.remaining = Number(cl);
      this.state = this.remaining === 0 ? 'done' : 'length';
    } else {
      this.state = 'to-close';
      this.keepAlive = false;
    }
    const ex = this.ex as Exchange;
    const body = new Body(this);
    ex.body = body;
    ex.resolve({ status: parsed.status, headers: h, body });
    if (this.state === 'done') this.done();
    return next;
  }

  /** The answer is complete: the socket goes back to the pool first, then the reader hears 'end'. */
  private done(): void {
    const ex = this.ex as Exchange;
    this.flushPieces(ex);
    this.state = 'done';
    this.ex = null;
    if (this.keepAlive && !this.closed) this.client.release(this);
    else this.socket.destroy();
    ex.body?.end();
  }

  private onEnd(): void {
    // A read-to-close body ends with the connection.
    if (this.ex && this.state === 'to-close') {
      const ex = this.ex;
      this.ex = null;
      this.closed = true;
      ex.body?.end();
    }
  }

  private protocolError(what: string): void {
    this.abort(new Error(`The upstream sent ${what}; the connection was dropped.`));
  }

  private fail(error: Error | null): void {
    this.closed = true;
    this.client.forget(this);
    const ex = this.ex;
    if (!ex) return;
    this.ex = null;
    const e = ex.aborted ?? error;
    if (ex.body) ex.body.fail(e);
    else ex.reject(e ?? Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
  }
}

export class Http1Client {
  private readonly idle: Connection[] = [];
  private readonly o: Http1ClientOptions;

  constructor(o: Http1ClientOptions) {
    this.o = o;
  }

  request(req: Http1Request): Promise<Http1Reply> {
    return new Promise<Http1Reply>((resolve, reject) => {
      const bad = /^\/[\x21-\x7e]*$/.test(req.path) ? badHeader(req.headers) : `Invalid request path "${req.path.slice(0, 60)}".`;
      if (bad) {
        reject(new TypeError(bad));
        return;
      }
      const ex: Exchange = { resolve, reject, body: null, aborted: null };
      let conn: Connection | null = null;
      req.onAbortable?.((e) => {
        if (conn?.ex === ex) conn.abort(e);
        else if (!conn && !ex.aborted) {
          ex.aborted = e;
          reject(e);
        }
      });
      if (ex.aborted) return;
      let c: Connection | undefined;
      while ((c = this.idle.pop()) && c.closed);
      conn = c ?? new Connection(this, this.o);
      conn.send(req, ex);
    });
  }

  /** Sockets kept for reuse (for tests and diagnostics). */
  idleCount(): number {
    return this.idle.filter((c) => !c.closed).length;
  }

  /** Closes idle sockets; exchanges in flight finish on theirs. */
  close(): void {
    for (const c of this.idle.splice(0)) c.socket.destroy();
  }

  /** @internal A finished exchange's socket, ready for the next request. */
  release(c: Connection): void {
    c.socket.setTimeout(Math.min(c.idleMs ?? Infinity, this.o.idleMs ?? DEFAULT_IDLE_MS));
    c.socket.unref();
    this.idle.push(c);
  }

  /** @internal A socket that closed. */
  forget(c: Connection): void {
    const i = this.idle.indexOf(c);
    if (i >= 0) this.idle.splice(i, 1);
  }
}

/** Header names and values that could split the request (CR, LF, NUL, other controls) are refused, as Node does. */
function badHeader(h: readonly string[]): string | null {
  if (h.length % 2 !== 0) return 'Header list must hold name, value pairs.';
  for (let i = 0; i < h.length; i += 2) {
    const name = h[i] as string;
    if (!HTTP_TOKEN.test(name)) return `Invalid header name "${name.slice(0, 40)}".`;
    if (BAD_HEADER_VALUE.test(h[i + 1] as string)) return `Invalid character in the value of header "${name}".`;
  }
  return null;
}

/** Status line and header fields; a string says what was wrong. */
function parseHead(text: string): { status: number; http11: boolean; headers: IncomingHttpHeaders } | string {
  const lines = text.split('\r\n');
  const m = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/.exec(lines[0] ?? '');
  if (!m) return `a status line it cannot read ("${(lines[0] ?? '').slice(0, 60)}")`;
  const headers: IncomingHttpHeaders = {};
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k] as string;
    const colon = line.indexOf(':');
    if (colon <= 0) return `a header line it cannot read ("${line.slice(0, 60)}")`;
    const name = line.slice(0, colon).toLowerCase();
    if (!HTTP_TOKEN.test(name)) return `a bad header name ("${name.slice(0, 40)}")`;
    const value = line.slice(colon + 1).trim();
    const prev = headers[name];
    if (name === 'set-cookie') headers[name] = [...(prev ?? []), value];
    else if (prev === undefined) headers[name] = value;
    else if (name === 'content-length') {
      if (prev !== value) return 'two different content-lengths';
    } else headers[name] = `${String(prev)}, ${value}`;
  }
  return { status: Number(m[2]), http11: m[1] === '1', headers };
}
