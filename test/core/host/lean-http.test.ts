import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import { startHost, type RunningHost } from '../../../electron/core/host/server';
import { LeanHttp, parseHead, type LeanHandler, type LeanHead, type LeanResponse } from '../../../electron/core/host/lean-http';
import { silentLogger } from '../../../electron/core/log';

/** What the lean path and Node's server each served, and how the next lean request is answered. */
interface Seen {
  lean: { head: LeanHead; body: string }[];
  node: { method: string; url: string; body: string }[];
}
let seen: Seen;
let answer: (head: LeanHead, body: Buffer, res: LeanResponse) => void;
let host: RunningHost;

function echo(head: LeanHead, body: Buffer, res: LeanResponse): void {
  const out = JSON.stringify({ path: head.path, search: head.search, body: body.toString('utf8') });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
  res.end(out);
}

beforeAll(async () => {
  host = await startHost({
    port: 0,
    health: () => ({}),
    log: silentLogger,
    headersTimeoutMs: 300,
    requestTimeoutMs: 600,
    lean: (head) => {
      if (head.method !== 'POST' || !head.path.startsWith('/lean')) return null;
      if (head.path === '/lean/pick-throws') throw new Error('the ledger is locked');
      const handler: LeanHandler = (h, body, res) => {
        seen.lean.push({ head: h, body: body.toString('utf8') });
        answer(h, body, res);
      };
      return handler;
    },
    gateway: async (req, res, url) => {
      if (url.pathname === '/health') return false;
      const parts: Buffer[] = [];
      for await (const c of req) parts.push(c as Buffer);
      seen.node.push({ method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(parts).toString('utf8') });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`node ${req.method} ${req.url}`);
      return true;
    },
  });
});
afterAll(async () => {
  await host.close();
});
afterEach(() => {
  answer = echo;
});
beforeAll(() => {
  answer = echo;
});

function fresh(): void {
  seen = { lean: [], node: [] };
}

function post(path: string, body: string, extra = ''): string {
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nContent-Type: application/json\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

interface Parsed {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parses complete HTTP/1.1 responses from `buf` (content-length or chunked), strictly. */
function parseResponses(buf: Buffer): { responses: Parsed[]; rest: Buffer } {
  const responses: Parsed[] = [];
  let at = 0;
  for (;;) {
    const end = buf.indexOf('\r\n\r\n', at, 'latin1');
    if (end < 0) break;
    const [statusLine, ...lines] = buf.toString('latin1', at, end).split('\r\n');
    const m = /^HTTP\/1\.1 (\d{3}) [^\r\n]*$/.exec(statusLine as string);
    if (!m) throw new Error(`bad status line ${JSON.stringify(statusLine)}`);
    const headers: Record<string, string> = {};
    for (const l of lines) {
      const c = l.indexOf(':');
      if (c <= 0) throw new Error(`bad header line ${JSON.stringify(l)}`);
      const name = l.slice(0, c).toLowerCase();
      if (name in headers) throw new Error(`repeated header ${name}`);
      headers[name] = l.slice(c + 1).trim();
    }
    let p = end + 4;
    let body: Buffer;
    if (headers['transfer-encoding'] === 'chunked') {
      if ('content-length' in headers) throw new Error('both content-length and chunked');
      const parts: Buffer[] = [];
      for (;;) {
        const le = buf.indexOf('\r\n', p, 'latin1');
        if (le < 0) return { responses, rest: buf.subarray(at) };
        const size = parseInt(buf.toString('latin1', p, le), 16);
        if (!Number.isFinite(size)) throw new Error('bad chunk size');
        if (le + 2 + size + 2 > buf.length) return { responses, rest: buf.subarray(at) };
        if (buf.toString('latin1', le + 2 + size, le + 4 + size) !== '\r\n') throw new Error('chunk not followed by CRLF');
        parts.push(buf.subarray(le + 2, le + 2 + size));
        p = le + 4 + size;
        if (size === 0) break;
      }
      body = Buffer.concat(parts);
    } else {
      const n = Number(headers['content-length'] ?? 0);
      if (p + n > buf.length) break;
      body = buf.subarray(p, p + n);
      p += n;
    }
    responses.push({ status: Number(m[1]), headers, body: body.toString('utf8') });
    at = p;
  }
  return { responses, rest: buf.subarray(at) };
}

/** Writes `pieces` one by one (a pause between) and collects `n` responses, or what came before the server closed. */
function exchange(pieces: (string | Buffer)[], n: number, o: { pauseMs?: number; timeoutMs?: number } = {}): Promise<{ responses: Parsed[]; closed: boolean; raw: string }> {
  return new Promise((resolve, reject) => {
    const s = net.connect(host.port, '127.0.0.1');
    s.setNoDelay(true);
    let buf = Buffer.alloc(0);
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try {
        const { responses } = parseResponses(buf);
        resolve({ responses, closed, raw: buf.toString('latin1') });
      } catch (e) {
        reject(e as Error);
      }
      s.destroy();
    };
    const timer = setTimeout(() => finish(false), o.timeoutMs ?? 3000);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (parseResponses(buf).responses.length >= n) setTimeout(() => finish(s.readableEnded), 20);
    });
    s.on('close', () => finish(true));
    s.on('error', () => finish(true));
    s.on('connect', async () => {
      for (const p of pieces) {
        if (s.destroyed) return;
        s.write(p);
        await new Promise((r) => setTimeout(r, o.pauseMs ?? 2));
      }
    });
  });
}

describe('the lean request parser', () => {
  it('reads the request line, headers (lower-case, trimmed) and length', () => {
    const h = parseHead('POST /v1/messages?beta=true HTTP/1.1\r\nHost: localhost\r\nX-Api-Key:  tok \r\nContent-Length: 12');
    expect(h).toMatchObject({ method: 'POST', path: '/v1/messages', search: '?beta=true', contentLength: 12 });
    expect(h?.headers).toEqual({ host: 'localhost', 'x-api-key': 'tok', 'content-length': '12' });
    expect(Object.keys(h?.headers ?? {})).toEqual(['host', 'x-api-key', 'content-length']);
  });

  it.each([
    ['HTTP/1.0', 'POST /x HTTP/1.0\r\nHost: a'],
    ['a lower-case method', 'post /x HTTP/1.1\r\nHost: a'],
    ['a target that is not a path', 'POST http://a/x HTTP/1.1\r\nHost: a'],
    ['a space in the target', 'POST /x y HTTP/1.1\r\nHost: a'],
    ['a repeated Content-Length', 'POST /x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1'],
    ['a repeated header of any name', 'POST /x HTTP/1.1\r\nX-Api-Key: a\r\nx-api-key: b'],
    ['Transfer-Encoding', 'POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3'],
    ['Expect', 'POST /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3'],
    ['Upgrade', 'GET /x HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket'],
    ['an unusual Connection', 'POST /x HTTP/1.1\r\nConnection: keep-alive, Upgrade'],
    ['a signed Content-Length', 'POST /x HTTP/1.1\r\nContent-Length: +3'],
    ['a hex Content-Length', 'POST /x HTTP/1.1\r\nContent-Length: 0x3'],
    ['a folded header', 'POST /x HTTP/1.1\r\nX-A: a\r\n b'],
    ['a header without a colon', 'POST /x HTTP/1.1\r\nX-A a'],
    ['a space before the colon', 'POST /x HTTP/1.1\r\nX-A : a'],
    ['a bare LF in a value', 'POST /x HTTP/1.1\r\nX-A: a\nb: c'],
    ['a NUL in a value', 'POST /x HTTP/1.1\r\nX-A: a\u0000b'],
    ['a header named __proto__', 'POST /x HTTP/1.1\r\n__proto__: a'],
    ['a header named like an inherited property', 'POST /x HTTP/1.1\r\nConstructor: a'],
  ])('leaves %s to Node', (_name, text) => {
    expect(parseHead(text)).toBeNull();
  });
});

describe('the lean HTTP path', () => {
  it('serves a request however its bytes are split, on the lean path', async () => {
    fresh();
    const body = JSON.stringify({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'héllo' }] });
    const req = Buffer.from(post('/lean/messages?beta=true', body, 'X-Api-Key: secret\r\n'));
    for (let cut = 1; cut < req.length; cut += 3) {
      const r = await exchange([req.subarray(0, cut), req.subarray(cut)], 1);
      expect(r.responses[0]?.status, `split at ${cut}`).toBe(200);
      expect(JSON.parse(r.responses[0]?.body ?? '{}')).toEqual({ path: '/lean/messages', search: '?beta=true', body });
    }
    expect(seen.node).toHaveLength(0);
    expect(seen.lean.every((x) => x.head.headers['x-api-key'] === 'secret' && x.body === body)).toBe(true);
    // And one byte at a time.
    const r = await exchange([...req].map((b) => Buffer.from([b])), 1, { pauseMs: 0 });
    expect(JSON.parse(r.responses[0]?.body ?? '{}').body).toBe(body);
  });

  it('keeps the connection alive and answers pipelined requests in order', async () => {
    fresh();
    answer = (head, body, res) => {
      // The first answers last: the second must still wait for it.
      setTimeout(() => echo(head, body, res), head.path === '/lean/1' ? 40 : 0);
    };
    const r = await exchange([post('/lean/1', 'one') + post('/lean/2', 'two') + post('/lean/3', 'three')], 3);
    expect(r.responses.map((x) => JSON.parse(x.body).body)).toEqual(['one', 'two', 'three']);
    expect(r.responses.every((x) => x.headers.connection === 'keep-alive' && x.headers['keep-alive'] === 'timeout=65' && /GMT$/.test(x.headers.date ?? ''))).toBe(true);
    expect(r.closed).toBe(false);
  });

  it('frames a response without a length as chunks, which Node parses on a reused connection', async () => {
    fresh();
    answer = (_head, _body, res) => {
      res.writeHead(200, ['content-type', 'text/event-stream', 'x-note', 'a b']);
      res.write('event: a\n\n');
      res.write(Buffer.alloc(0));
      res.write(Buffer.from('data: é\n\n'));
      setTimeout(() => res.end('event: end\n\n'), 5);
    };
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<net.Socket>();
    try {
      for (let i = 0; i < 3; i++) {
        const got = await new Promise<{ body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
          const q = http.request({ port: host.port, host: '127.0.0.1', method: 'POST', path: '/lean/sse', agent, headers: { 'content-length': '2' } }, (res) => {
            sockets.add(res.socket);
            let b = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => (b += d));
            res.on('end', () => resolve({ body: b, headers: res.headers }));
          });
          q.on('error', reject);
          q.end('hi');
        });
        expect(got.body).toBe('event: a\n\ndata: é\n\nevent: end\n\n');
        expect(got.headers['transfer-encoding']).toBe('chunked');
        expect(got.headers['x-note']).toBe('a b');
      }
      expect(sockets.size).toBe(1);
      expect(seen.lean).toHaveLength(3);
    } finally {
      agent.destroy();
    }
  });

  it('hands a connection to Node at the first request it does not serve, with every byte', async () => {
    fresh();
    const chunked = `POST /other HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n`;
    const r = await exchange([post('/lean/a', 'first') + 'GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n', chunked, '2\r\nde\r\n0\r\n\r\n', post('/lean/b', 'after')], 4);
    expect(r.responses.map((x) => x.status)).toEqual([200, 200, 200, 200]);
    expect(JSON.parse(r.responses[0]?.body ?? '{}').body).toBe('first');
    expect(JSON.parse(r.responses[1]?.body ?? '{}')).toMatchObject({ ok: true });
    expect(r.responses[2]?.body).toBe('node POST /other');
    // Once handed over, the connection stays Node's.
    expect(r.responses[3]?.body).toBe('node POST /lean/b');
    expect(seen.lean.map((x) => x.body)).toEqual(['first']);
    expect(seen.node).toEqual([
      { method: 'POST', url: '/other', body: 'abcde' },
      { method: 'POST', url: '/lean/b', body: 'after' },
    ]);
  });

  it.each([
    ['HTTP/1.0', `POST /lean/x HTTP/1.0\r\nHost: localhost\r\nContent-Length: 2\r\n\r\nhi`],
    ['a foreign Host', `POST /lean/x HTTP/1.1\r\nHost: evil.example\r\nContent-Length: 2\r\n\r\nhi`],
    ['no Host', `POST /lean/x HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi`],
    ['a repeated Content-Length', `POST /lean/x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhi`],
    ['Content-Length beside chunked', `POST /lean/x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`],
    ['a head over 16 kB', `POST /lean/x HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(17_000)}\r\nContent-Length: 2\r\n\r\nhi`],
  ])('leaves %s to Node', async (_name, bytes) => {
    fresh();
    const r = await exchange([bytes], 1);
    expect(seen.lean).toHaveLength(0);
    // Node answers it, or refuses it as malformed: either way not the lean path's 200.
    expect(r.responses[0]?.body ?? r.raw).not.toMatch(/"body"/);
  });

  it('closes after the answer when the client asks to', async () => {
    fresh();
    const r = await exchange([post('/lean/x', 'bye', 'Connection: close\r\n')], 1);
    expect(r.responses[0]?.headers.connection).toBe('close');
    expect(r.closed).toBe(true);
  });

  it('closes after the answer when the response says connection: close', async () => {
    fresh();
    answer = (_h, _b, res) => {
      res.writeHead(413, { 'content-length': '0', connection: 'close' });
      res.end();
    };
    const r = await exchange([post('/lean/x', 'a') + post('/lean/y', 'b')], 1);
    expect(r.responses.map((x) => x.status)).toEqual([413]);
    expect(r.closed).toBe(true);
    expect(seen.lean).toHaveLength(1);
  });

  it('tells a handler that the caller left mid-answer, and stops writing', async () => {
    fresh();
    let resolveClosed: (x: { destroyed: boolean; wrote: boolean }) => void = () => {};
    const closed = new Promise<{ destroyed: boolean; wrote: boolean }>((r) => (resolveClosed = r));
    answer = (_h, _b, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: one\n\n');
      res.once('close', () => resolveClosed({ destroyed: res.destroyed, wrote: res.write('more') }));
    };
    const s = net.connect(host.port, '127.0.0.1', () => s.write(post('/lean/x', 'a')));
    s.once('data', () => s.destroy());
    expect(await closed).toEqual({ destroyed: true, wrote: false });
  });

  it('reports backpressure and drains when the caller reads again', async () => {
    fresh();
    let falses = 0;
    let drains = 0;
    const total = 32;
    answer = (_h, _b, res) => {
      res.writeHead(200, { 'content-length': String(total * 1024 * 1024) });
      let sent = 0;
      const more = () => {
        while (sent < total) {
          sent++;
          const ok = res.write(Buffer.alloc(1024 * 1024, 97));
          if (sent === total) {
            res.end();
            return;
          }
          if (!ok) {
            falses++;
            res.once('drain', () => {
              drains++;
              more();
            });
            return;
          }
        }
      };
      more();
    };
    const got = await new Promise<number>((resolve) => {
      const s = net.connect(host.port, '127.0.0.1', () => s.write(post('/lean/x', 'a')));
      let n = 0;
      s.pause();
      // Read nothing for a while: the server's writes must report a full buffer.
      setTimeout(() => {
        s.on('data', (d: Buffer) => {
          n += d.length;
          if (n >= total * 1024 * 1024) {
            s.destroy();
            resolve(n);
          }
        });
        s.resume();
      }, 100);
    });
    expect(got).toBeGreaterThanOrEqual(total * 1024 * 1024);
    expect(falses).toBeGreaterThan(0);
    expect(drains).toBe(falses);
  });

  it('leaves a request to Node when choosing its handler throws', async () => {
    fresh();
    const r = await exchange([post('/lean/pick-throws', 'a')], 1);
    expect(r.responses[0]?.body).toBe('node POST /lean/pick-throws');
  });

  it('answers 500 when a handler throws, and keeps serving', async () => {
    fresh();
    answer = () => {
      throw new Error('boom');
    };
    const r = await exchange([post('/lean/x', 'a')], 1);
    expect(r.responses[0]?.status).toBe(500);
    expect(JSON.parse(r.responses[0]?.body ?? '{}').error.type).toBe('api_error');
    answer = echo;
    const again = await exchange([post('/lean/y', 'b')], 1);
    expect(JSON.parse(again.responses[0]?.body ?? '{}').body).toBe('b');
  });

  it('refuses header values and names that would split the response', () => {
    fresh();
    return new Promise<void>((resolve, reject) => {
      answer = (_h, _b, res) => {
        try {
          expect(() => res.writeHead(200, { 'x-a': 'a\r\nset-cookie: b' })).toThrow(/Invalid character/);
          expect(() => res.writeHead(200, ['x a', 'b'])).toThrow(/Invalid HTTP header name/);
          expect(() => res.writeHead(200, { 'x-a': 'a\nb' })).toThrow(/Invalid character/);
          res.writeHead(200, { 'content-length': '2' });
          res.end('ok');
          resolve();
        } catch (e) {
          reject(e as Error);
        }
      };
      void exchange([post('/lean/x', 'a')], 1);
    });
  });
});

describe('slow clients on the lean path', () => {
  it('answers 408 to a head that never ends', async () => {
    fresh();
    const r = await exchange(['POST /lean/x HTTP/1.1\r\nHost: localhost\r\n'], 1, { timeoutMs: 3000 });
    expect(r.closed).toBe(true);
    expect(r.responses[0]?.status).toBe(408);
  });

  it('answers 408 to a body that never ends, and serves nothing', async () => {
    fresh();
    const r = await exchange([`POST /lean/x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nabc`], 1, { timeoutMs: 3000 });
    expect(r.closed).toBe(true);
    expect(r.responses[0]?.status).toBe(408);
    expect(seen.lean).toHaveLength(0);
  });

  it('closes a connection that never sends a byte', async () => {
    const r = await exchange([], 1, { timeoutMs: 3000 });
    expect(r.closed).toBe(true);
  });

  it('closes a kept-alive connection left idle, without an answer', async () => {
    const server = net.createServer();
    const lean = new LeanHttp({ pick: () => echo, handOff: (s) => s.destroy(), headersTimeoutMs: 5_000, requestTimeoutMs: 5_000, keepAliveTimeoutMs: 150 });
    server.on('connection', (s: net.Socket) => lean.accept(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const start = performance.now();
      const { data, after } = await new Promise<{ data: string; after: number }>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => s.write(post('/x', 'a')));
        let d = '';
        s.on('data', (c: Buffer) => (d += c.toString('latin1')));
        s.on('close', () => resolve({ data: d, after: performance.now() - start }));
      });
      expect(parseResponses(Buffer.from(data, 'latin1')).responses.map((x) => x.status)).toEqual([200]);
      expect(after).toBeGreaterThan(140);
      expect(lean.size).toBe(0);
    } finally {
      lean.close();
      server.close();
    }
  });

  it('destroys its open connections when the host closes', async () => {
    const other = await startHost({ port: 0, health: () => ({}), log: silentLogger, gateway: async () => false, lean: () => echo });
    const s = net.connect(other.port, '127.0.0.1');
    await new Promise<void>((r) => s.once('connect', () => r()));
    s.write(post('/x', 'a').replace(`127.0.0.1:${host.port}`, `127.0.0.1:${other.port}`));
    await new Promise<void>((r) => s.once('data', () => r()));
    const closed = new Promise<void>((r) => s.once('close', () => r()));
    await other.close();
    await closed;
  });
});
