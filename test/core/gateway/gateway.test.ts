import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { startHarness, reservationsLeft, rawRequest, UPSTREAM_KEY, type Harness } from '../../support/harness';
import { costOf } from '../../../shared/pricing';
import { fromAnthropicUsage } from '../../../shared/usage';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.anthropic.reset();
  h.core.settings.update({ dailyBudgetUsd: null, policy: 'reject', routing: { background: { enabled: false, maxTokens: 1024, tier: 'fast' } } });
});

function lastRequest() {
  return h.core.queries.requests({ limit: 1 })[0];
}

describe('the gateway with the official SDK', () => {
  it('serves a JSON message, forwards it with Sluice\'s key, and records its exact cost', async () => {
    const msg = await h.client().messages.create({ model: 'claude-sonnet-4-6', max_tokens: 100, messages: [{ role: 'user', content: 'Hello there' }] });
    expect(msg.content[0]).toMatchObject({ type: 'text' });
    const up = h.anthropic.requests.find((r) => r.path === '/v1/messages');
    expect(up).toBeDefined();
    const auth = `${up?.headers['x-api-key'] ?? ''} ${up?.headers.authorization ?? ''}`;
    expect(auth).toContain(UPSTREAM_KEY);
    expect(auth).not.toContain(h.token);
    const row = lastRequest();
    const price = h.core.catalog().lookup('claude-sonnet-4-6', 'anthropic').price;
    expect(row).toMatchObject({ agent: 'alice', status: 'ok', modelUsed: 'claude-sonnet-4-6', priceFlag: 'ok' });
    expect(row?.costMicros).toBe(costOf(fromAnthropicUsage(msg.usage), price));
    expect(row?.tokens.input).toBe(msg.usage.input_tokens);
    expect(reservationsLeft(h.core)).toBe(0);
  });

  it('streams the upstream bytes through and reads usage from message_start and message_delta', async () => {
    h.anthropic.enqueue({ type: 'message', text: 'streamed answer with several words', usage: { input_tokens: 321, output_tokens: 17, cache_read_input_tokens: 1000, cache_creation_input_tokens: 50 } });
    const stream = h.client().messages.stream({ model: 'claude-opus-4-8', max_tokens: 200, messages: [{ role: 'user', content: 'stream please' }] });
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'streamed answer with several words' });
    const row = lastRequest();
    expect(row?.tokens).toEqual({ input: 321, output: 17, cacheWrite5m: 50, cacheWrite1h: 0, cacheRead: 1000 });
    expect(row?.costMicros).toBe(Math.ceil(321 * 5 + 17 * 25 + 50 * 6.25 + 1000 * 0.5));
    expect(reservationsLeft(h.core)).toBe(0);
  });

  it('tops up the reservation when message_start reports a larger prompt, and records when the budget could not cover it', async () => {
    // A $0.001 cap admits this request's worst case (20 output tokens, a short prompt: $0.0003) but
    // not the 1,000-token prompt message_start reveals ($0.003).
    const { token } = h.core.agents.create('topped-up', { dailyCapMicros: 1_000 });
    const ask = () => h.client(token).messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    h.anthropic.enqueue({ type: 'message', text: 'fine', usage: { input_tokens: 10, output_tokens: 3 } });
    await ask();
    expect(lastRequest()).toMatchObject({ agent: 'topped-up', status: 'ok', error: null });
    h.anthropic.enqueue({ type: 'message', text: 'fine', usage: { input_tokens: 1_000, output_tokens: 3 } });
    const final = await ask();
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'fine' });
    expect(lastRequest()).toMatchObject({ agent: 'topped-up', error: expect.stringMatching(/larger than estimated/) });
    expect(reservationsLeft(h.core)).toBe(0);
  });

  it('passes tool use through, with input_json_delta reassembled by the SDK', async () => {
    h.anthropic.enqueue({ type: 'message', stopReason: 'tool_use', content: [{ type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'src/index.ts' } }] });
    const final = await h
      .client()
      .messages.stream({
        model: 'claude-sonnet-4-6',
        max_tokens: 300,
        tools: [{ name: 'read_file', description: 'Read a file', input_schema: { type: 'object', properties: { path: { type: 'string' } } } }],
        messages: [{ role: 'user', content: 'open the entry point' }],
      })
      .finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content[0]).toMatchObject({ type: 'tool_use', name: 'read_file', input: { path: 'src/index.ts' } });
  });

  it('keeps cache_control and the prompt prefix untouched on the way up', async () => {
    const system = [{ type: 'text' as const, text: 'x'.repeat(20_000), cache_control: { type: 'ephemeral' as const } }];
    await h.client().messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, system, messages: [{ role: 'user', content: 'hi' }] });
    const up = h.anthropic.requests.filter((r) => r.path === '/v1/messages').pop();
    expect((up?.body as { system: unknown }).system).toEqual(system);
    const second = await h.client().messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, system, messages: [{ role: 'user', content: 'hi' }] });
    expect(second.usage.cache_read_input_tokens).toBeGreaterThan(0);
    expect(lastRequest()?.tokens.cacheRead).toBe(second.usage.cache_read_input_tokens);
  });

  it('forwards the caller\'s own bytes when nothing in the request changes (key order, spacing, escapes)', async () => {
    const raw = '{ "messages":[{"content":"caf\\u00e9  \\n","role":"user"}],\n  "max_tokens": 4096, "model":"claude-sonnet-4-6" }';
    const r = await rawRequest(h.host.url, { path: '/v1/messages', headers: { 'content-type': 'application/json', 'x-api-key': h.token, host: new URL(h.host.url).host }, body: raw });
    expect(r.status).toBe(200);
    const up = h.anthropic.requests.filter((q) => q.path === '/v1/messages').pop();
    expect(up?.rawBody).toBe(raw);
  });

  it('counts tokens through the upstream and lists models', async () => {
    const count = await h.client().messages.countTokens({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'count these words please' }] });
    expect(count.input_tokens).toBeGreaterThan(0);
    const models = await h.client().models.list();
    expect(models.data.map((m) => m.id)).toContain('claude-sonnet-4-6');
  });

  it('accepts the token as Authorization: Bearer and tolerates ?beta=true', async () => {
    const r = await rawRequest(h.host.url, {
      path: '/v1/messages?beta=true',
      headers: { host: `127.0.0.1:${h.host.port}`, authorization: `Bearer ${h.token}`, 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'interleaved-thinking-2025-05-14' },
      body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(r.status).toBe(200);
    const up = h.anthropic.requests.filter((x) => x.path === '/v1/messages').pop();
    expect(up?.query.get('beta')).toBe('true');
    expect(up?.headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14');
  });

  it('attributes requests to the session Claude Code names', async () => {
    await rawRequest(h.host.url, {
      path: '/v1/messages',
      headers: { host: 'localhost', 'x-api-key': h.token, 'x-claude-code-session-id': 'sess-42', 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(lastRequest()?.session).toBe('sess-42');
  });

  it('prices an unknown model as the most expensive known one and flags it — never $0', async () => {
    h.anthropic.enqueue({ type: 'message', text: 'ok', usage: { input_tokens: 1000, output_tokens: 100 } });
    await h.client().messages.create({ model: 'claude-nonexistent-9', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    const row = lastRequest();
    expect(row?.priceFlag).toBe('unknown_model');
    const worst = h.core.catalog().mostExpensive();
    expect(row?.costMicros).toBe(costOf({ inputTokens: 1000, outputTokens: 100, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0 }, worst));
    expect(row?.costMicros).toBeGreaterThan(0);
  });
});

/** POSTs a JSON body to the gateway and returns the answer's headers as sent (rawHeaders) and its body. */
async function postRaw(body: unknown): Promise<{ status: number; pairs: Array<readonly [string, string]>; body: string }> {
  const http = await import('node:http');
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: h.host.port, path: '/v1/messages', method: 'POST', agent: false, headers: { 'x-api-key': h.token, 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'content-length': Buffer.byteLength(text) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            pairs: res.rawHeaders.flatMap((v, i, all) => (i % 2 === 0 ? [[v.toLowerCase(), all[i + 1] as string] as const] : [])),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

describe('the answer’s headers', () => {
  it('carry the upstream’s content type and request id and Sluice’s own, each once, fresh and replayed from the cache alike', async () => {
    const body = { model: 'claude-sonnet-4-6', max_tokens: 50, temperature: 0, messages: [{ role: 'user', content: 'Headers, once each.' }] };
    const fresh = await postRaw(body);
    const replayed = await postRaw(body);
    expect(h.anthropic.requests.filter((r) => r.path === '/v1/messages')).toHaveLength(1);
    for (const a of [fresh, replayed]) {
      expect(a.status).toBe(200);
      const names = a.pairs.map(([n]) => n);
      expect(new Set(names).size).toBe(names.length);
      const get = (n: string) => a.pairs.find(([k]) => k === n)?.[1];
      expect(get('content-type')).toMatch(/^application\/json/);
      expect(get('request-id')).toMatch(/^req_/);
      expect(get('x-sluice-model')).toBe('claude-sonnet-4-6');
      expect(get('x-sluice-route')).toBeTruthy();
      if (get('content-length') !== undefined) expect(Number(get('content-length'))).toBe(Buffer.byteLength(a.body));
    }
    const id = (a: typeof fresh) => a.pairs.find(([k]) => k === 'request-id')?.[1];
    expect(id(replayed)).toBe(id(fresh));
    expect(replayed.pairs.find(([k]) => k === 'x-sluice-route')?.[1]).toMatch(/^cache: /);
  });
});

describe('routing at the gateway', () => {
  it('sends a small background call (no tools, small max_tokens) to the fast tier and says why', async () => {
    h.core.settings.update({ routing: { background: { enabled: true, maxTokens: 512, tier: 'fast' } } });
    const { response } = await h
      .client()
      .messages.create({ model: 'claude-opus-4-8', max_tokens: 100, messages: [{ role: 'user', content: 'Write a 5-word title for this chat' }] })
      .withResponse();
    const fast = h.core.settings.get().routing.tiers.fast;
    expect(response.headers.get('x-sluice-model')).toBe(fast);
    expect((h.anthropic.requests.filter((r) => r.path === '/v1/messages').pop()?.body as { model: string }).model).toBe(fast);
    expect(lastRequest()).toMatchObject({ modelRequested: 'claude-opus-4-8', modelUsed: fast });
    expect(lastRequest()?.routeReason).toMatch(/^fast: background call/);
  });

  it('keeps a tool-using turn on the model the session asked for', async () => {
    h.core.settings.update({ routing: { background: { enabled: true, maxTokens: 512, tier: 'fast' } } });
    await h.client().messages.create({
      model: 'claude-opus-4-8',
      max_tokens: 100,
      tools: [{ name: 'Bash', description: 'run', input_schema: { type: 'object' } }],
      messages: [{ role: 'user', content: 'list files' }],
    });
    expect(lastRequest()).toMatchObject({ modelUsed: 'claude-opus-4-8' });
    expect(lastRequest()?.routeReason).toMatch(/^as requested/);
  });
});

describe('budget at the door', () => {
  it('refuses with 429, retry-after and a sentence a person understands', async () => {
    h.core.settings.update({ dailyBudgetUsd: h.core.enforcer.status().spentMicros / 1e6 + 0.001, policy: 'reject' });
    const err = await h
      .client()
      .messages.create({ model: 'claude-opus-4-8', max_tokens: 4000, messages: [{ role: 'user', content: 'a long task' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    const e = err as InstanceType<typeof Anthropic.RateLimitError>;
    expect(e.status).toBe(429);
    expect(Number(e.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(e.message).toMatch(/Sluice: .*daily budget of \$.*resets at 00:00 UTC \(in /);
    expect(h.anthropic.requests.filter((r) => r.path === '/v1/messages')).toHaveLength(0);
    expect(lastRequest()).toMatchObject({ status: 'rejected', costMicros: 0 });
    expect(reservationsLeft(h.core)).toBe(0);
  });

  it('downgrades to the fast tier when the policy says so, and says so in a header', async () => {
    // $0.05 left covers a Haiku worst case ($0.02) but not an Opus one ($0.10) for this request.
    const spent = h.core.enforcer.status().spentMicros / 1e6;
    h.core.settings.update({ dailyBudgetUsd: spent + 0.05, policy: 'downgrade' });
    const { data, response } = await h
      .client()
      .messages.create({ model: 'claude-opus-4-8', max_tokens: 4000, messages: [{ role: 'user', content: 'hello' }] })
      .withResponse();
    expect(data.content[0]).toMatchObject({ type: 'text' });
    expect(response.headers.get('x-sluice-downgraded')).toContain('claude-opus-4-8 -> ');
    const up = h.anthropic.requests.filter((r) => r.path === '/v1/messages').pop();
    expect((up?.body as { model: string }).model).toBe(h.core.settings.get().routing.tiers.fast);
    expect(lastRequest()?.routeReason).toContain('downgraded');
  });
});
