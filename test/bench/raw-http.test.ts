// The benchmark's lean HTTP (fixtures/raw-http.ts) must read answers exactly as Node writes them, or
// its figures time the wrong thing: each answer read to its last byte, no more, no less.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageReader, postBytes, RawClient, recordRaw, splitReply, startReplayUpstream } from './fixtures/raw-http';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await (closers.pop() as () => Promise<void>)();
});

/** A Node server answering /json with a content-length body and /sse with three chunked events. */
async function nodeServer(): Promise<number> {
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString();
      if (req.url === '/json') {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ echo: body }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
      let n = 0;
      const tick = () => {
        if (n === 3) return res.end();
        res.write(`event: e${n}\ndata: {"n":${n}}\n\n`);
        n += 1;
        setTimeout(tick, 2);
      };
      tick();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise((r) => server.close(() => r())));
  server.keepAliveTimeout = 60_000;
  return (server.address() as AddressInfo).port;
}

describe('MessageReader', () => {
  it('reads content-length and chunked answers back to back, however the bytes are split', async () => {
    const port = await nodeServer();
    const json = await recordRaw(port, postBytes(`127.0.0.1:${port}`, '/json', {}, 'hello'));
    const sse = await recordRaw(port, postBytes(`127.0.0.1:${port}`, '/sse', {}, ''));
    const both = Buffer.concat([json, sse, json]);
    for (const step of [1, 2, 3, 7, 64, both.length]) {
      const got: Array<{ status: number; body: string }> = [];
      const reader = new MessageReader((status, _head, body) => got.push({ status, body: body?.toString() ?? '' }), true);
      for (let i = 0; i < both.length; i += step) reader.feed(both.subarray(i, i + step));
      expect(got, `split every ${step} bytes`).toEqual([
        { status: 201, body: JSON.stringify({ echo: 'hello' }) },
        { status: 200, body: 'event: e0\ndata: {"n":0}\n\nevent: e1\ndata: {"n":1}\n\nevent: e2\ndata: {"n":2}\n\n' },
        { status: 201, body: JSON.stringify({ echo: 'hello' }) },
      ]);
    }
  });

  it('does not finish a chunked answer before its end marker', async () => {
    const port = await nodeServer();
    const sse = await recordRaw(port, postBytes(`127.0.0.1:${port}`, '/sse', {}, ''));
    let done = 0;
    const reader = new MessageReader(() => (done += 1));
    reader.feed(sse.subarray(0, sse.length - 1));
    expect(done).toBe(0);
    reader.feed(sse.subarray(sse.length - 1));
    expect(done).toBe(1);
  });
});

describe('RawClient and the replaying upstream', () => {
  it('replays a recorded answer to Node’s own client byte for byte, chunk by chunk', async () => {
    const port = await nodeServer();
    const recorded = splitReply(await recordRaw(port, postBytes(`127.0.0.1:${port}`, '/sse', {}, '')));
    expect(recorded.pieces).toHaveLength(3);
    const up = await startReplayUpstream(() => recorded);
    closers.push(up.close);
    const u = new URL(up.url);
    const agent = new http.Agent({ keepAlive: true });
    closers.push(async () => agent.destroy());
    const text = await new Promise<string>((resolve, reject) => {
      const req = http.request({ host: u.hostname, port: u.port, method: 'POST', path: '/v1/messages', agent }, (res) => {
        let s = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (s += c));
        res.on('end', () => resolve(s));
      });
      req.on('error', reject);
      req.end('{"stream":true}');
    });
    expect(text).toBe('event: e0\ndata: {"n":0}\n\nevent: e1\ndata: {"n":1}\n\nevent: e2\ndata: {"n":2}\n\n');
  });

  it('keeps a connection per request in flight and reuses idle ones', async () => {
    const port = await nodeServer();
    const client = new RawClient(port);
    closers.push(async () => client.close());
    const bytes = postBytes(`127.0.0.1:${port}`, '/json', { 'content-type': 'text/plain' }, 'x');
    const first = await Promise.all([client.request(bytes), client.request(bytes), client.request(bytes)]);
    expect(first.map((s) => s.status)).toEqual([201, 201, 201]);
    expect(client.connections).toBe(3);
    const again = await client.request(bytes);
    expect(again.status).toBe(201);
    expect(again.ttfb).toBeGreaterThan(0);
    expect(again.ttlb).toBeGreaterThanOrEqual(again.ttfb);
    expect(client.connections).toBe(3);
  });
});
