import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../support/harness';
import type { CoreEvent } from '../../../shared/contract';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.anthropic.reset();
  h.core.settings.update({ dailyBudgetUsd: null, policy: 'reject', routing: { background: { enabled: false, maxTokens: 1024, tier: 'fast' }, responseCacheSeconds: 300 } });
});

const upstreamCalls = () => h.anthropic.requests.filter((r) => r.path === '/v1/messages').length;

describe('shared answers', () => {
  it('answers an identical deterministic request from the cache, byte for byte, at no cost', async () => {
    const params = { model: 'claude-sonnet-4-6', max_tokens: 50, temperature: 0, messages: [{ role: 'user' as const, content: 'Name the capital of France.' }] };
    const first = await h.client().messages.create(params).withResponse();
    const second = await h.client().messages.create(params).withResponse();
    expect(upstreamCalls()).toBe(1);
    expect(second.data).toEqual(first.data);
    expect(second.response.headers.get('x-sluice-route')).toMatch(/^cache: identical deterministic request answered \d+ s ago/);
    const [replayed, original] = h.core.queries.requests({ limit: 2 });
    expect(replayed).toMatchObject({ costMicros: 0, status: 'ok' });
    expect(original?.costMicros).toBeGreaterThan(0);
    const savings = h.core.queries.savings(h.core.queries.today());
    expect(savings.baseline).toBeGreaterThan(savings.actual);
  });

  it('does not cache sampled (non-deterministic) requests', async () => {
    const params = { model: 'claude-sonnet-4-6', max_tokens: 50, messages: [{ role: 'user' as const, content: 'Tell me a joke.' }] };
    await h.client().messages.create(params);
    await h.client().messages.create(params);
    expect(upstreamCalls()).toBe(2);
  });

  it('sends identical in-flight requests upstream once and gives both callers the answer', async () => {
    h.anthropic.enqueue({ type: 'message', text: 'slow answer', delayMs: 300 });
    const params = { model: 'claude-sonnet-4-6', max_tokens: 60, stream: true as const, messages: [{ role: 'user' as const, content: 'Summarise the repo.' }] };
    const c = h.client();
    const [a, b] = await Promise.all([c.messages.stream(params).finalMessage(), c.messages.stream(params).finalMessage()]);
    expect(upstreamCalls()).toBe(1);
    expect(b).toEqual(a);
    expect(h.core.queries.requests({ limit: 2 }).map((r) => r.routeReason).sort()).toEqual(['as requested', 'dedupe: identical request was in flight']);
  });
});

describe('fallbacks', () => {
  it('sends a request whose model stays overloaded to the configured alternative, and records both attempts', async () => {
    for (let i = 0; i < 3; i++) h.anthropic.enqueue({ type: 'error', status: 529, errorType: 'overloaded_error', message: 'Overloaded', retryAfter: 0 });
    h.core.settings.update({ routing: { overloadFallback: 'claude-haiku-4-5' } });
    const { data, response } = await h.client().messages.create({ model: 'claude-opus-4-8', max_tokens: 2000, messages: [{ role: 'user', content: 'plan the refactor' }] }).withResponse();
    expect(data.content[0]).toMatchObject({ type: 'text' });
    expect(response.headers.get('x-sluice-model')).toBe('claude-haiku-4-5');
    const [ok, failed] = h.core.queries.requests({ limit: 2 });
    expect(ok).toMatchObject({ modelUsed: 'claude-haiku-4-5', status: 'ok', routeReason: 'fallback: claude-opus-4-8 overloaded (529), sent to claude-haiku-4-5' });
    expect(failed).toMatchObject({ modelUsed: 'claude-opus-4-8', status: 'error' });
  });
});

describe('prompt cache health', () => {
  it('tells the user when a session suddenly stops reading its cache', async () => {
    const events: CoreEvent[] = [];
    const off = h.core.events.subscribe((e) => events.push(e));
    try {
      const send = (usage: { input_tokens: number; cache_read_input_tokens: number }) => {
        h.anthropic.enqueue({ type: 'message', text: 'ok', usage: { ...usage, output_tokens: 5 } });
        return h.client().messages.create({ model: 'claude-sonnet-4-6', max_tokens: 2000, metadata: { user_id: 'cache-session' }, messages: [{ role: 'user', content: 'next turn' }] });
      };
      await send({ input_tokens: 200, cache_read_input_tokens: 30_000 });
      await send({ input_tokens: 300, cache_read_input_tokens: 30_200 });
      expect(events.filter((e) => e.type === 'cache-broken')).toHaveLength(0);
      await send({ input_tokens: 30_600, cache_read_input_tokens: 0 });
      const broken = events.filter((e) => e.type === 'cache-broken');
      expect(broken).toHaveLength(1);
      expect(broken[0]).toMatchObject({ session: 'user:cache-session', lostTokens: 30_200 });
    } finally {
      off();
    }
  });
});
