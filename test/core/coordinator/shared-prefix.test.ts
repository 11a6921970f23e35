import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shareToolPrefix, PrefixReuse, minCacheableTokens } from '../../../electron/core/coordinator/shared-prefix';
import { startHarness, type Harness } from '../../support/harness';

const bigTools = Array.from({ length: 12 }, (_, i) => ({
  name: `tool_${i}`,
  description: `Tool number ${i}. ${'It does a careful, well-documented thing with files and processes. '.repeat(12)}`,
  input_schema: { type: 'object' as const, properties: { path: { type: 'string' } } },
}));

describe('shareToolPrefix', () => {
  it('marks the last tool for caching without touching anything else', () => {
    const body = { model: 'claude-sonnet-4-6', tools: bigTools, system: 'hi', messages: [{ role: 'user', content: 'x' }] };
    const d = shareToolPrefix(body, 'claude-sonnet-4-6', '5m');
    if (!d.added) throw new Error(d.why);
    const tools = d.body.tools as Record<string, unknown>[];
    expect(tools.slice(0, -1)).toEqual(bigTools.slice(0, -1));
    expect(tools.at(-1)).toEqual({ ...bigTools.at(-1), cache_control: { type: 'ephemeral' } });
    expect(d.body.system).toBe('hi');
    expect(body.tools).toBe(bigTools); // the caller's object is not mutated
  });
  it('leaves short tool lists, full breakpoint budgets and marked tools alone', () => {
    expect(shareToolPrefix({ tools: [{ name: 'a', input_schema: {} }], messages: [] }, 'claude-sonnet-4-6', '5m')).toMatchObject({ added: false, why: expect.stringContaining('minimum cacheable length') });
    const full = { tools: bigTools, system: [1, 2, 3, 4].map((i) => ({ type: 'text', text: `s${i}`, cache_control: { type: 'ephemeral' } })), messages: [] };
    expect(shareToolPrefix(full, 'claude-sonnet-4-6', '5m')).toEqual({ added: false, why: 'no breakpoint to spare' });
    expect(minCacheableTokens('claude-haiku-4-5')).toBe(4096);
    expect(minCacheableTokens('some-new-model')).toBe(4096);
  });
  it('marks the tools for an hour when a later breakpoint is 1-hour (the API wants longer TTLs first)', () => {
    const body = { tools: bigTools, system: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral', ttl: '1h' } }], messages: [] };
    const d = shareToolPrefix(body, 'claude-sonnet-4-6', '5m');
    expect(d).toMatchObject({ added: true, ttl: '1h' });
    expect(d.added && (d.body.tools as Record<string, unknown>[]).at(-1)?.cache_control).toEqual({ type: 'ephemeral', ttl: '1h' });
  });
  it('chooses a 1-hour TTL when the prefix comes back after more than five minutes, within the hour', () => {
    const r = new PrefixReuse();
    expect(r.ttlFor('p', 0)).toBe('5m');
    expect(r.ttlFor('p', 60_000)).toBe('5m');
    expect(r.ttlFor('p', 60_000 + 20 * 60_000)).toBe('1h');
    expect(r.ttlFor('p', 60_000 + 20 * 60_000 + 2 * 3600_000)).toBe('5m');
  });
});

describe('agents sharing a tools prefix through the gateway', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    h.core.settings.update({ routing: { background: { enabled: false, maxTokens: 1, tier: 'fast' } } });
  });
  afterAll(async () => {
    await h.close();
  });

  it("lets the second agent read the first agent's tool definitions from the cache", async () => {
    const a = h.core.agents.create('agent-a').token;
    const b = h.core.agents.create('agent-b').token;
    await h.client(a).messages.create({ model: 'claude-sonnet-4-6', max_tokens: 2000, tools: bigTools, system: 'You are agent A.', messages: [{ role: 'user', content: 'Task A' }] });
    const second = await h.client(b).messages.create({ model: 'claude-sonnet-4-6', max_tokens: 2000, tools: bigTools, system: 'You are agent B, on another task.', messages: [{ role: 'user', content: 'Task B' }] });
    expect(second.usage.cache_read_input_tokens).toBeGreaterThan(1024);
    const row = h.core.queries.requests({ agent: 'agent-b', limit: 1 })[0];
    expect(row?.tokens.cacheRead).toBe(second.usage.cache_read_input_tokens);
    expect(row?.routeReason).toContain('tools prefix marked for sharing (5m)');
  });

  it('can be turned off', async () => {
    h.core.settings.update({ routing: { sharePrefix: false } });
    const c = h.core.agents.create('agent-c').token;
    await h.client(c).messages.create({ model: 'claude-sonnet-4-6', max_tokens: 2000, tools: bigTools.slice(1), messages: [{ role: 'user', content: 'Task C' }] });
    const up = h.anthropic.requests.filter((r) => r.path === '/v1/messages').pop();
    expect(JSON.stringify((up?.body as { tools: unknown }).tools)).not.toContain('cache_control');
  });
});
