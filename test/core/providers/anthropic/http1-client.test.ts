import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { Http1Client, type Http1ClientOptions, type Http1Reply } from '../../../../electron/core/providers/anthropic/http1-client';
import { readAll } from '../../../../electron/core/providers/anthropic/upstream-post';

/** One request as the raw server read it. */
interface SeenRequest {
  head: string;
  body: string;
  connection: number;
}

/**
 * A raw TCP server standing in for an HTTP/1.1 upstream: it reads each request (content-length
 * bodies) and writes the answer `reply` returns, as the pieces given, one per turn of the event
 * loop, so the client meets every way a read can split an answer.
 */
async function rawServer(reply: (req: SeenRequest, index: number) => Buffer[] | 'hang' | 'close', wrap?: (s: net.Server) => net.Server) {
  const seen: SeenRequest[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const onSocket = (socket: net.Socket) => {
    const id = ++connections;
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    socket.on('data', async (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.toString('latin1', 0, end);
        const len = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buf.length < end + 4 + len) return;
        const req = { head, body: buf.toString('utf8', end + 4, end + 4 + len), connection: id };
        buf = buf.subarray(end + 4 + len);
        seen.push(req);
        const r = reply(req, seen.length - 1);
        if (r === 'hang') return;
        if (r === 'close') {
          socket.destroy();
          return;
        }
        for (const piece of r) {
          await new Promise((x) => setImmediate(x));
          if (!socket.destroyed) socket.write(piece);
        }
      }
    });
  };
  const server = wrap ? wrap(net.createServer()) : net.createServer();
  server.on(wrap ? 'secureConnection' : 'connection', onSocket);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    seen,
    connections: () => connections,
    dropAll: () => {
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const clients: Http1Client[] = [];
const servers: Array<{ close: () => Promise<void> }> = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) await s.close();
});

function client(port: number, o: Partial<Http1ClientOptions> = {}): Http1Client {
  const c = new Http1Client({ host: '127.0.0.1', port, tls: false, hostHeader: `127.0.0.1:${port}`, timeoutMs: 5_000, timeoutError: (ms) => new Error(`timed out after ${ms} ms`), ...o });
  clients.push(c);
  return c;
}

const post = (c: Http1Client, body = '{"hi":1}', headers: string[] = ['content-type', 'application/json']) =>
  c.request({ path: '/v1/messages?beta=true', headers, body: Buffer.from(body) });

/** Every split of `whole` into two pieces, and one piece per byte. */
function splits(whole: Buffer): Buffer[][] {
  const out: Buffer[][] = [[...whole].map((b) => Buffer.from([b]))];
  for (let i = 1; i < whole.length; i++) out.push([whole.subarray(0, i), whole.subarray(i)]);
  return out;
}

const SSE = 'event: message_start\ndata: {"type":"message_start"}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n';
const chunked = (parts: string[]) => parts.map((p) => `${Buffer.byteLength(p).toString(16)}\r\n${p}\r\n`).join('') + '0\r\n\r\n';

describe('the gateway’s HTTP/1.1 upstream client', () => {
  it('sends one request with its path, host, headers, length and exact bytes', async () => {
    const s = await rawServer(() => [Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok')]);
    servers.push(s);
    const res = await post(client(s.port), '{"é":"ü"}', ['x-api-key', 'sk-ant-k', 'anthropic-version', '2023-06-01']);
    expect((await readAll(res.body)).toString()).toBe('ok');
    const lines = s.seen[0]?.head.split('\r\n') ?? [];
    expect(lines[0]).toBe('POST /v1/messages?beta=true HTTP/1.1');
    expect(lines).toEqual(expect.arrayContaining([`host: 127.0.0.1:${s.port}`, 'x-api-key: sk-ant-k', 'anthropic-version: 2023-06-01', `content-length: ${Buffer.byteLength('{"é":"ü"}')}`]));
    expect(s.seen[0]?.body).toBe('{"é":"ü"}');
  });

  it('reads content-length and chunked answers however the reads split them', async () => {
    const json = Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nRequest-Id: req_1\r\n\r\n{"a":"bcd"}');
    const stream = Buffer.from(`HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n${chunked([SSE.slice(0, 40), SSE.slice(40)])}`);
    for (const [whole, expected] of [
      [json, '{"a":"bcd"}'],
      [stream, SSE],
    ] as const) {
      const cases = splits(whole);
      const s = await rawServer((_r, i) => cases[i] as Buffer[]);
      servers.push(s);
      const c = client(s.port);
      for (let i = 0; i < cases.length; i++) {
        const res = await post(c);
        expect(res.status).toBe(200);
        expect((await readAll(res.body)).toString()).toBe(expected);
        expect(res.body.complete).toBe(true);
      }
      expect(s.connections()).toBe(1);
    }
  });

  it('reads every spelling of a chunk-size line: upper-case hex, leading zeros, extensions, blanks, bare LF', async () => {
    const head = 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n';
    const bodies = [
      '1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n',
      '001a\r\nabcdefghijklmnopqrstuvwxyz\r\n000\r\n\r\n',
      '1a;name=value\r\nabcdefghijklmnopqrstuvwxyz\r\n0;x\r\n\r\n',
      '1a \r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\n\r\n',
      '1a\nabcdefghijklmnopqrstuvwxyz\n0\n\n',
      '1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nx-trailer: 1\r\n\r\n',
    ];
    const s = await rawServer((_r, i) => [Buffer.from(head + bodies[i])]);
    servers.push(s);
    const c = client(s.port);
    for (const b of bodies) {
      const res = await post(c);
      expect((await readAll(res.body)).toString(), JSON.stringify(b)).toBe('abcdefghijklmnopqrstuvwxyz');
    }
    expect(s.connections()).toBe(1);
  });

  it('hands on the chunks of one read as one piece, and each later read as it comes', async () => {
    const events = Array.from({ length: 8 }, (_, i) => `event: content_block_delta\ndata: {"i":${i}}\n\n`);
    const frame = (e: string) => `${Buffer.byteLength(e).toString(16)}\r\n${e}\r\n`;
    let upstream: net.Socket | null = null;
    const server = net.createServer((sock) => {
      upstream = sock;
      sock.setNoDelay(true);
      // All eight events in one write, after the request arrives.
      sock.once('data', () => sock.write(`HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n${events.map(frame).join('')}`));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push({ close: () => new Promise<void>((r) => { upstream?.destroy(); server.close(() => r()); }) });
    const res = await post(client((server.address() as net.AddressInfo).port));
    const pieces: string[] = [];
    let resolveFirst: () => void = () => {};
    const first = new Promise<void>((r) => (resolveFirst = r));
    res.body.on('data', (d: Buffer) => {
      pieces.push(d.toString());
      resolveFirst();
    });
    const ended = new Promise<void>((r) => res.body.once('end', () => r()));
    // The first read is handed on before the answer ends.
    await first;
    expect(pieces).toEqual([events.join('')]);
    (upstream as net.Socket | null)?.write(frame(SSE));
    await new Promise((r) => setTimeout(r, 30));
    expect(pieces).toEqual([events.join(''), SSE]);
    (upstream as net.Socket | null)?.write('0\r\n\r\n');
    await ended;
    expect(res.body.complete).toBe(true);
  });

  it('gives the answer’s headers lower-cased, repeated ones joined', async () => {
    const s = await rawServer(() => [Buffer.from('HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nX-Multi: a\r\nx-multi: b\r\nContent-Length: 0\r\n\r\n')]);
    servers.push(s);
    const res = await post(client(s.port));
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.headers['x-multi']).toBe('a, b');
    expect((await readAll(res.body)).length).toBe(0);
  });

  it('skips interim 1xx answers and reads a body that ends with the connection', async () => {
    const s = await rawServer(() => [Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nconnection: close\r\n\r\nuntil '), Buffer.from('the end')]);
    servers.push(s);
    const c = client(s.port);
    const res = await post(c);
    const reading = readAll(res.body);
    await new Promise((r) => setTimeout(r, 20));
    s.dropAll();
    expect((await reading).toString()).toBe('until the end');
    expect(c.idleCount()).toBe(0);
  });

  it('keeps no socket whose answer said connection: close', async () => {
    const s = await rawServer(() => [Buffer.from('HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 1\r\n\r\nx')]);
    servers.push(s);
    const c = client(s.port);
    await readAll((await post(c)).body);
    await readAll((await post(c)).body);
    expect(s.connections()).toBe(2);
  });

  it('holds chunks for a reader that attaches late, and pauses the socket while the reader is paused', async () => {
    const parts = Array.from({ length: 50 }, (_, i) => `event: content_block_delta\ndata: {"i":${i}}\n\n`);
    const s = await rawServer(() => [Buffer.from(`HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n${chunked(parts.slice(0, 1)).slice(0, -5)}`), ...parts.slice(1).map((p) => Buffer.from(chunked([p]).slice(0, -5))), Buffer.from('0\r\n\r\n')]);
    servers.push(s);
    const res = await post(client(s.port));
    await new Promise((r) => setTimeout(r, 30));
    const got: string[] = [];
    let pauses = 0;
    await new Promise<void>((resolve, reject) => {
      res.body.on('data', (c: Buffer) => {
        got.push(c.toString());
        if (got.length % 10 === 0) {
          pauses++;
          res.body.pause();
          setTimeout(() => res.body.resume(), 5);
        }
      });
      res.body.once('end', () => resolve());
      res.body.once('error', reject);
    });
    expect(got.join('')).toBe(parts.join(''));
    expect(pauses).toBeGreaterThan(2);
  });

  it('stops reading the socket while the reader is paused, so a slow caller holds the upstream back', async () => {
    const total = 64 * 1024 * 1024;
    let written = 0;
    const server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => {
        socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${total}\r\n\r\n`);
        const piece = Buffer.alloc(64 * 1024, 120);
        const pump = () => {
          while (written < total) {
            written += piece.length;
            if (!socket.write(piece)) {
              socket.once('drain', pump);
              return;
            }
          }
        };
        pump();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push({ close: () => new Promise<void>((r) => server.close(() => r())) });
    const c = client((server.address() as net.AddressInfo).port);
    const res = await post(c);
    let read = 0;
    let hold = true;
    res.body.on('data', (chunk: Buffer) => {
      read += chunk.length;
      if (hold) res.body.pause();
    });
    await new Promise((r) => setTimeout(r, 300));
    // Kernel buffers take a few MB; the rest waits for the reader.
    expect(written).toBeLessThan(total / 2);
    const ended = new Promise<void>((r) => res.body.once('end', () => r()));
    hold = false;
    res.body.resume();
    await ended;
    expect(read).toBe(total);
    c.close();
  });

  it('fails the reply when the server drops the connection mid-body: close without end, not complete', async () => {
    const s = await rawServer(() => [Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial')]);
    servers.push(s);
    const res = await post(client(s.port));
    const events: string[] = [];
    res.body.on('data', () => events.push('data'));
    res.body.once('end', () => events.push('end'));
    const closed = new Promise<void>((r) => res.body.once('close', () => r()));
    await new Promise((r) => setTimeout(r, 20));
    s.dropAll();
    await closed;
    expect(events).toEqual(['data']);
    expect(res.body.complete).toBe(false);
    const reading = readAll((await post(client(s.port))).body);
    await new Promise((r) => setTimeout(r, 20));
    s.dropAll();
    await expect(reading).rejects.toThrow(/closed the connection before the end/);
  });

  it('rejects when the connection closes before an answer, and opens a new one for the next request', async () => {
    const s = await rawServer((_r, i) => (i === 0 ? 'close' : [Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n')]));
    servers.push(s);
    const c = client(s.port);
    await expect(post(c)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect((await post(c)).status).toBe(200);
    expect(s.connections()).toBe(2);
  });

  it('replaces an idle socket the server closed, and closes its own idle sockets after idleMs', async () => {
    const s = await rawServer(() => [Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n')]);
    servers.push(s);
    const c = client(s.port, { idleMs: 50 });
    await readAll((await post(c)).body);
    expect(c.idleCount()).toBe(1);
    s.dropAll();
    await new Promise((r) => setTimeout(r, 20));
    await readAll((await post(c)).body);
    expect(s.connections()).toBe(2);
    await new Promise((r) => setTimeout(r, 150));
    expect(c.idleCount()).toBe(0);
  });

  it('closes an idle socket a second before the server says it would (Keep-Alive: timeout=N)', async () => {
    const s = await rawServer((_r, i) => [Buffer.from(`HTTP/1.1 200 OK\r\n${i === 0 ? 'keep-alive: timeout=1\r\n' : ''}content-length: 0\r\n\r\n`)]);
    servers.push(s);
    const hinted = client(s.port);
    await readAll((await post(hinted)).body);
    const plain = client(s.port);
    await readAll((await post(plain)).body);
    await new Promise((r) => setTimeout(r, 800));
    expect(hinted.idleCount()).toBe(0);
    expect(plain.idleCount()).toBe(1);
  });

  it('aborts before the answer (the promise rejects with the reason) and mid-body (error, then close)', async () => {
    const s = await rawServer((_r, i) => (i === 0 ? 'hang' : [Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc')]));
    servers.push(s);
    const c = client(s.port);
    const abort: { fn: ((e: Error) => void) | null } = { fn: null };
    const first = c.request({ path: '/', headers: [], body: Buffer.from('x'), onAbortable: (a) => (abort.fn = a) });
    await new Promise((r) => setTimeout(r, 20));
    abort.fn?.(new Error('caller left'));
    await expect(first).rejects.toThrow('caller left');

    const second: Http1Reply = await c.request({ path: '/', headers: [], body: Buffer.from('x'), onAbortable: (a) => (abort.fn = a) });
    const events: string[] = [];
    second.body.on('data', () => undefined);
    second.body.once('error', (e) => events.push(`error: ${e.message}`));
    const closed = new Promise<void>((r) => second.body.once('close', () => r()));
    abort.fn?.(new Error('caller left mid-body'));
    await closed;
    expect(events).toEqual(['error: caller left mid-body']);
    expect(c.idleCount()).toBe(0);
  });

  it('times out a silent upstream with the given error', async () => {
    const s = await rawServer(() => 'hang');
    servers.push(s);
    await expect(post(client(s.port, { timeoutMs: 50 }))).rejects.toThrow('timed out after 50 ms');
  });

  it('refuses header values and paths that would split the request, sending nothing', async () => {
    const s = await rawServer(() => [Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n')]);
    servers.push(s);
    const c = client(s.port);
    await expect(post(c, '{}', ['anthropic-beta', 'x\r\nx-api-key: stolen'])).rejects.toThrow(/Invalid character in the value of header "anthropic-beta"/);
    await expect(post(c, '{}', ['bad name', 'v'])).rejects.toThrow(/Invalid header name/);
    await expect(c.request({ path: '/v1/messages?x=1 HTTP/1.1\r\nx-api-key: stolen', headers: [], body: Buffer.from('{}') })).rejects.toThrow(/Invalid request path/);
    expect(s.connections()).toBe(0);
  });

  it('drops the connection on an answer it cannot read', async () => {
    for (const bad of ['HTTP/1.1 200 OK\r\ncontent-length: 12x\r\n\r\n', 'SPDY/3 200 OK\r\n\r\n', 'HTTP/1.1 200 OK\r\ntransfer-encoding: gzip\r\n\r\n', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2g\r\nab\r\n0\r\n\r\n', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nabcd\r\n0\r\n\r\n']) {
      const s = await rawServer(() => [Buffer.from(bad)]);
      servers.push(s);
      const c = client(s.port);
      const outcome = await post(c).then(
        (res) => readAll(res.body).then(() => 'read', (e: Error) => e.message),
        (e: Error) => e.message,
      );
      expect(outcome, bad).toMatch(/The upstream sent .*; the connection was dropped|closed the connection before the end/);
      expect(c.idleCount()).toBe(0);
    }
  });

  it('speaks TLS to an https upstream, verifying its certificate', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-tls-'));
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
    const pems = { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
    const s = await rawServer(() => [Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 6\r\n\r\nsecure')], () => tls.createServer(pems));
    servers.push(s);
    const trusted = client(s.port, { host: 'localhost', tls: true, hostHeader: 'localhost', tlsOptions: { ca: pems.cert } });
    expect((await readAll((await post(trusted)).body)).toString()).toBe('secure');
    const untrusted = client(s.port, { host: 'localhost', tls: true, hostHeader: 'localhost' });
    await expect(post(untrusted)).rejects.toThrow(/self[- ]signed|certificate/i);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
