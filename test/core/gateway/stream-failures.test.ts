import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, reservationsLeft, type Harness } from '../../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => {
  h.anthropic.reset();
  h.core.settings.update({ routing: { background: { enabled: false, maxTokens: 1024, tier: 'fast' } } });
});

async function waitFor<T>(f: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
}

describe('streams that break', () => {
  it('turns an upstream that dies mid-stream into an Anthropic error event, and records the usage seen', async () => {
    h.anthropic.enqueue({ type: 'message', text: 'a long answer '.repeat(50), chunkDelayMs: 1, disconnectAfterEvents: 8, usage: { input_tokens: 500 } });
    const err = await h
      .client()
      .messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 1000, messages: [{ role: 'user', content: 'go' }] })
      .finalMessage()
      .catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    const row = await waitFor(() => h.core.queries.requests({ limit: 1 })[0]);
    expect(row.status).toBe('error');
    expect(row.tokens.input).toBe(500);
    expect(row.costMicros).toBeGreaterThan(500 * 3 - 1);
    expect(reservationsLeft(h.core)).toBe(0);
  });

  it('passes an upstream error event through and settles', async () => {
    h.anthropic.enqueue({ type: 'message', text: 'partial answer here', errorAfterEvents: { after: 4, type: 'overloaded_error', message: 'Overloaded' }, usage: { input_tokens: 200 } });
    const err = await h
      .client()
      .messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 100, messages: [{ role: 'user', content: 'go' }] })
      .finalMessage()
      .catch((e: unknown) => e as Error);
    expect(String(err)).toContain('Overloaded');
    const row = await waitFor(() => h.core.queries.requests({ limit: 1 })[0]);
    expect(row.status).toBe('error');
    expect(row.error).toContain('overloaded_error');
    expect(reservationsLeft(h.core)).toBe(0);
  });

  it('aborts the upstream when the caller disconnects, and settles what was used', async () => {
    h.anthropic.enqueue({ type: 'message', text: 'word '.repeat(400), chunkDelayMs: 20, usage: { input_tokens: 700 } });
    const before = h.core.queries.requests({ limit: 1 })[0]?.id ?? 0;
    const ac = new AbortController();
    const stream = h.client().messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 2000, messages: [{ role: 'user', content: 'go' }] }, { signal: ac.signal });
    let events = 0;
    stream.on('streamEvent', () => {
      events += 1;
      if (events === 5) ac.abort();
    });
    await stream.finalMessage().catch(() => undefined);
    const row = await waitFor(() => {
      const r = h.core.queries.requests({ limit: 1 })[0];
      return r && r.id > before ? r : undefined;
    });
    expect(row.status).toBe('aborted');
    expect(row.tokens.input).toBe(700);
    expect(reservationsLeft(h.core)).toBe(0);
  });

  it('maps an upstream 529 after retries (and after the fallback) to the caller, with nothing left reserved', async () => {
    for (let i = 0; i < 6; i++) h.anthropic.enqueue({ type: 'error', status: 529, errorType: 'overloaded_error', message: 'Overloaded', retryAfter: 0 });
    const err = await h
      .client()
      .messages.create({ model: 'claude-sonnet-4-6', max_tokens: 2000, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: { status?: number }) => e);
    expect((err as { status?: number }).status).toBe(529);
    expect(h.anthropic.requests.filter((r) => r.path === '/v1/messages')).toHaveLength(6);
    const [fallback, original] = h.core.queries.requests({ limit: 2 });
    expect(original).toMatchObject({ status: 'error', modelUsed: 'claude-sonnet-4-6' });
    expect(fallback).toMatchObject({ status: 'error', modelUsed: h.core.settings.get().routing.tiers.fast });
    expect(reservationsLeft(h.core)).toBe(0);
  });
});
