import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAnthropicProvider, headerList, MissingApiKeyError, UpstreamError } from '../../../../electron/core/providers/anthropic/client';
import { Cancellation, readAll } from '../../../../electron/core/providers/anthropic/upstream-post';
import { startFakeAnthropic, type FakeAnthropic } from '../../../fakes/anthropic';

const KEY = 'sk-ant-upstream-test';
const BODY = new TextEncoder().encode(JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }));

let fake: FakeAnthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKeys: [KEY] });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function provider(o: { key?: string | null; baseURL?: string; retries?: Array<{ attempt: number; status: number | null }> } = {}) {
  return createAnthropicProvider({
    apiKey: () => (o.key === undefined ? KEY : o.key),
    baseURL: o.baseURL ?? fake.url,
    retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 30_000 },
    sleep: async () => undefined,
    onRetry: (i) => o.retries?.push({ attempt: i.attempt, status: i.status }),
  });
}

describe('the Anthropic provider’s direct POST (the gateway’s path)', () => {
  it('sends Sluice’s key (never the caller’s), the caller’s version and beta headers, the query and the exact bytes', async () => {
    const res = await provider().post('/v1/messages', BODY, { search: '?beta=true', headers: { 'anthropic-version': '2023-06-01', 'anthropic-beta': 'tools-2099' } });
    expect(res.status).toBe(200);
    expect((JSON.parse((await readAll(res.body)).toString('utf8')) as { type: string }).type).toBe('message');
    const up = fake.requests.at(-1);
    expect(up?.headers['x-api-key']).toBe(KEY);
    expect(up?.headers['anthropic-beta']).toBe('tools-2099');
    expect(up?.query.get('beta')).toBe('true');
    expect(up?.rawBody).toBe(new TextDecoder().decode(BODY));
  });

  it('sends each header once, as the wire shows it: the caller’s version over ours, our key over any other, host and length of its own', async () => {
    const seen: string[][] = [];
    const raw = http.createServer((req, res) => {
      seen.push(req.rawHeaders);
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    const port = (raw.address() as AddressInfo).port;
    const res = await provider({ baseURL: `http://127.0.0.1:${port}` }).post('/v1/messages', BODY, { headers: { 'anthropic-version': '2024-01-01', 'x-api-key': 'sk-sluice-agent-token' } });
    await readAll(res.body);
    raw.closeAllConnections();
    await new Promise<void>((r) => raw.close(() => r()));
    const pairs = (seen[0] ?? []).flatMap((v, i, all) => (i % 2 === 0 ? [[v.toLowerCase(), all[i + 1] as string] as const] : []));
    const names = pairs.map(([n]) => n);
    expect(new Set(names).size).toBe(names.length);
    const get = (n: string) => pairs.find(([k]) => k === n)?.[1];
    expect(get('host')).toBe(`127.0.0.1:${port}`);
    expect(get('content-length')).toBe(String(BODY.byteLength));
    expect(get('accept-encoding')).toBe('identity');
    expect(get('anthropic-version')).toBe('2024-01-01');
    expect(get('x-api-key')).toBe(KEY);
    expect(get('content-type')).toBe('application/json');
  });

  it('names an API version when the caller did not', async () => {
    await provider().post('/v1/messages', BODY);
    expect(fake.requests.at(-1)?.headers['anthropic-version']).toBe('2023-06-01');
  });

  it('retries an overloaded answer by our policy and returns the answer that came', async () => {
    fake.enqueue({ type: 'error', status: 529 }, { type: 'error', status: 529 });
    const retries: Array<{ attempt: number; status: number | null }> = [];
    const res = await provider({ retries }).post('/v1/messages', BODY);
    expect(res.status).toBe(200);
    expect(retries).toEqual([{ attempt: 1, status: 529 }, { attempt: 2, status: 529 }]);
  });

  it('gives up with the upstream’s own error, classified, and does not retry what retrying cannot fix', async () => {
    fake.enqueue({ type: 'error', status: 400, message: 'messages: field required' });
    const retries: Array<{ attempt: number; status: number | null }> = [];
    const err = await provider({ retries }).post('/v1/messages', BODY).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ status: 400, body: { type: 'error', error: { type: 'invalid_request_error', message: 'messages: field required' } } });
    expect(retries).toEqual([]);

    fake.enqueue({ type: 'error', status: 429, retryAfter: 3600 });
    const limited = (await provider().post('/v1/messages', BODY).catch((e: unknown) => e)) as UpstreamError;
    expect(limited.status).toBe(429);
    expect(limited.failure.failureClass).toBe('rate_limit');
    expect(limited.headers?.get('retry-after')).toBe('3600');
  });

  it('reports an upstream that is not there as a network failure after its retries', async () => {
    const dead = http.createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const retries: Array<{ attempt: number; status: number | null }> = [];
    const err = (await provider({ baseURL: `http://127.0.0.1:${port}`, retries }).post('/v1/messages', BODY).catch((e: unknown) => e)) as UpstreamError;
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.status).toBeNull();
    expect(err.failure.failureClass).toBe('network');
    expect(err.message).toBe(`Sluice: no answer from the Anthropic API at http://127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port}).`);
    expect(retries).toHaveLength(2);
  });

  it('says there is no key before sending anything, and lets a caller’s abort through untouched', async () => {
    await expect(provider({ key: null }).post('/v1/messages', BODY)).rejects.toBeInstanceOf(MissingApiKeyError);
    const cancel = new Cancellation();
    cancel.cancel();
    const err = await provider().post('/v1/messages', BODY, { cancel }).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(UpstreamError);
    expect((err as Error).name).toBe('AbortError');
  });

  it('stops waiting for an upstream that never answers when the caller cancels, without retrying', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    const retries: Array<{ attempt: number; status: number | null }> = [];
    const cancel = new Cancellation();
    const pending = provider({ baseURL: `http://127.0.0.1:${port}`, retries }).post('/v1/messages', BODY, { cancel }).catch((e: unknown) => e);
    setTimeout(() => cancel.cancel(), 50);
    const err = (await pending) as Error;
    silent.closeAllConnections();
    await new Promise<void>((r) => silent.close(() => r()));
    expect(err.name).toBe('AbortError');
    expect(retries).toEqual([]);
  });

  it('gives up on an upstream that stays silent past the timeout, as a network failure', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    const p = createAnthropicProvider({
      apiKey: () => KEY,
      baseURL: `http://127.0.0.1:${port}`,
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 30_000 },
      timeoutMs: 100,
    });
    const err = (await p.post('/v1/messages', BODY).catch((e: unknown) => e)) as UpstreamError;
    silent.closeAllConnections();
    await new Promise<void>((r) => silent.close(() => r()));
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.failure.failureClass).toBe('network');
    expect(err.message).toMatch(/timed out/);
  });
});

describe('headerList', () => {
  it('is the merge of defaults, the given headers and the last one, as a flat list', () => {
    expect(headerList({ a: '1', b: '2' }, { b: 'given', c: '3', k: 'theirs' }, 'k', 'ours')).toEqual(['a', '1', 'b', 'given', 'c', '3', 'k', 'ours']);
    expect(headerList({ a: '1' }, undefined, 'k', 'v')).toEqual(['a', '1', 'k', 'v']);
  });
});
