import Anthropic, { APIConnectionError, APIUserAbortError } from '@anthropic-ai/sdk';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpFetch } from '../../../../electron/core/providers/anthropic/http-fetch';
import { startFakeAnthropic, type FakeAnthropic } from '../../../fakes/anthropic';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let server: http.Server;
let base: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      if (req.url?.startsWith('/slow')) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('event: ping\ndata: {}\n\n');
        return; // never ends: the caller aborts
      }
      if (req.url === '/empty') {
        res.writeHead(204).end();
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json', 'x-multi': ['a', 'b'] });
      res.end(JSON.stringify({ echo: Buffer.concat(chunks).toString() }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('the http transport behind the Anthropic SDK', () => {
  const f = createHttpFetch();

  it('sends method, path with query, headers and body bytes, and asks for an uncompressed answer', async () => {
    const res = await f(`${base}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      body: new TextEncoder().encode('{"a":1}'),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ echo: '{"a":1}' });
    expect(res.headers.get('x-multi')).toBe('a, b');
    const last = seen.at(-1) as Seen;
    expect(last).toMatchObject({ method: 'POST', url: '/v1/messages?beta=true', body: '{"a":1}' });
    expect(last.headers['x-api-key']).toBe('k');
    expect(last.headers['accept-encoding']).toBe('identity');
  });

  it('gives a bodyless answer for 204', async () => {
    const res = await f(`${base}/empty`);
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
  });

  it('rejects with an AbortError when aborted before the answer, and errors the body when aborted during it', async () => {
    const early = new AbortController();
    early.abort();
    await expect(f(`${base}/x`, { signal: early.signal })).rejects.toMatchObject({ name: 'AbortError' });

    const late = new AbortController();
    const res = await f(`${base}/slow`, { signal: late.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('ping');
    late.abort();
    await expect(reader.read()).rejects.toThrow();
  });

  it('rejects when nothing listens, which the SDK reports as a connection error', async () => {
    const dead = http.createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const client = new Anthropic({ apiKey: 'k', baseURL: `http://127.0.0.1:${port}`, maxRetries: 0, fetch: f });
    await expect(client.models.list()).rejects.toBeInstanceOf(APIConnectionError);
  });

  describe('with the SDK against the fake Anthropic API', () => {
    let fake: FakeAnthropic;
    beforeAll(async () => {
      fake = await startFakeAnthropic();
    });
    afterAll(() => fake.close());

    it('answers JSON and streams, and a user abort is the SDK’s own abort error', async () => {
      const client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: fake.url, maxRetries: 0, fetch: f });
      const msg = await client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
      expect(msg.usage.input_tokens).toBeGreaterThan(0);
      const events: string[] = [];
      const stream = await client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] });
      for await (const e of stream) events.push(e.type);
      expect(events[0]).toBe('message_start');
      expect(events.at(-1)).toBe('message_stop');

      const ac = new AbortController();
      ac.abort();
      await expect(client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }, { signal: ac.signal })).rejects.toBeInstanceOf(APIUserAbortError);
    });
  });
});
