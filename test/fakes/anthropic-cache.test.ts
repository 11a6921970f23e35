import Anthropic, { BadRequestError } from '@anthropic-ai/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { minCacheableTokens, startFakeAnthropic, tokensForChars, type FakeAnthropic } from './anthropic';

// The fake's clock is ours: TTLs pass without waiting.
let clock = 0;
let fake: FakeAnthropic;
let client: Anthropic;

beforeAll(async () => {
  fake = await startFakeAnthropic({ now: () => clock });
  client = new Anthropic({ apiKey: 'k', baseURL: fake.url, maxRetries: 0 });
});
afterEach(() => {
  fake.reset();
  clock = 0;
});
afterAll(() => fake.close());

const MINUTE = 60_000;
/** Text of exactly `tokens` tokens under the chars/4 rule. */
const textOf = (tokens: number, seed = 'x') => `${seed} `.repeat(tokens * 2).slice(0, tokens * 4);

type Ttl = '5m' | '1h';
function ask(opts: { model?: string; system: number; ttl?: Ttl; seed?: string; question?: string }) {
  const cache_control = opts.ttl === '1h' ? { type: 'ephemeral' as const, ttl: '1h' as const } : { type: 'ephemeral' as const };
  return client.messages.create({
    model: opts.model ?? 'claude-sonnet-4-6',
    max_tokens: 20,
    system: [{ type: 'text', text: textOf(opts.system, opts.seed), cache_control }],
    messages: [{ role: 'user', content: opts.question ?? 'What does it say?' }],
  });
}
const questionTokens = tokensForChars('What does it say?'.length);

describe('fake Anthropic prompt-cache simulation', () => {
  it('writes a marked prefix once, reads it on the next call, and bills the rest as input', async () => {
    const first = await ask({ system: 2000 });
    expect(first.usage.cache_creation_input_tokens).toBe(2000);
    expect(first.usage.cache_creation).toEqual({ ephemeral_5m_input_tokens: 2000, ephemeral_1h_input_tokens: 0 });
    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect(first.usage.input_tokens).toBe(questionTokens);

    clock += 4 * MINUTE;
    const second = await ask({ system: 2000, question: 'And the second part?' });
    expect(second.usage.cache_read_input_tokens).toBe(2000);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
    expect(second.usage.input_tokens).toBe(tokensForChars('And the second part?'.length));
  });

  it('refreshes the 5-minute TTL on every read and forgets the prefix once it lapses', async () => {
    await ask({ system: 2000 });
    clock += 4 * MINUTE;
    expect((await ask({ system: 2000 })).usage.cache_read_input_tokens).toBe(2000);
    clock += 4 * MINUTE; // 8 min after the write, 4 after the last read
    expect((await ask({ system: 2000 })).usage.cache_read_input_tokens).toBe(2000);
    clock += 6 * MINUTE;
    const lapsed = await ask({ system: 2000 });
    expect(lapsed.usage.cache_read_input_tokens).toBe(0);
    expect(lapsed.usage.cache_creation_input_tokens).toBe(2000);
  });

  it('keeps a 1-hour entry past five minutes and bills it as ephemeral_1h', async () => {
    const first = await ask({ system: 2000, ttl: '1h' });
    expect(first.usage.cache_creation).toEqual({ ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 2000 });
    clock += 50 * MINUTE;
    expect((await ask({ system: 2000, ttl: '1h' })).usage.cache_read_input_tokens).toBe(2000);
    clock += 61 * MINUTE;
    expect((await ask({ system: 2000, ttl: '1h' })).usage.cache_read_input_tokens).toBe(0);
  });

  it('caches nothing, silently, below the model minimum', async () => {
    const min = minCacheableTokens('claude-sonnet-4-6');
    expect(min).toBe(1024);
    for (let i = 0; i < 2; i++) {
      const r = await ask({ system: min - 10 });
      expect(r.usage.cache_creation_input_tokens).toBe(0);
      expect(r.usage.cache_read_input_tokens).toBe(0);
      expect(r.usage.input_tokens).toBe(min - 10 + questionTokens);
    }
  });

  it('uses the larger minimum of Haiku 4.5 and Opus 4.5/4.6', async () => {
    expect(minCacheableTokens('claude-haiku-4-5-20251001')).toBe(4096);
    expect(minCacheableTokens('claude-opus-4-6')).toBe(4096);
    expect(minCacheableTokens('claude-3-5-haiku-20241022')).toBe(2048);
    const haiku = await ask({ model: 'claude-haiku-4-5-20251001', system: 3000 });
    expect(haiku.usage.cache_creation_input_tokens).toBe(0);
    const sonnet = await ask({ model: 'claude-sonnet-4-6', system: 3000 });
    expect(sonnet.usage.cache_creation_input_tokens).toBe(3000);
  });

  it('keys the cache by model and by the exact prefix', async () => {
    await ask({ system: 2000 });
    expect((await ask({ model: 'claude-opus-4-8', system: 2000 })).usage.cache_read_input_tokens).toBe(0);
    expect((await ask({ system: 2000, seed: 'y' })).usage.cache_read_input_tokens).toBe(0);
  });

  it('orders the prefix tools → system → messages: a changed tool invalidates the cached system', async () => {
    const call = (toolDescription: string) =>
      client.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 20,
        tools: [{ name: 'grep', description: toolDescription, input_schema: { type: 'object' } }],
        system: [{ type: 'text', text: textOf(2000), cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: 'go' }],
      });
    const first = await call('Search files');
    const toolTokens = tokensForChars('grep'.length + 'Search files'.length + JSON.stringify({ type: 'object' }).length);
    expect(first.usage.cache_creation_input_tokens).toBe(toolTokens + 2000);
    expect((await call('Search files')).usage.cache_read_input_tokens).toBe(toolTokens + 2000);
    expect((await call('Search the files')).usage.cache_read_input_tokens).toBe(0);
  });

  it('reads the previous turn and writes only the new part when the breakpoint moves forward', async () => {
    const history = [
      { role: 'user' as const, content: textOf(1500, 'q') },
      { role: 'assistant' as const, content: textOf(300, 'a') },
    ];
    const turn = (messages: Anthropic.MessageParam[]) =>
      client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 20, messages });
    const marked = (text: string): Anthropic.MessageParam => ({
      role: 'user',
      content: [{ type: 'text', text, cache_control: { type: 'ephemeral' } }],
    });
    const one = await turn([marked(textOf(1500, 'q'))]);
    expect(one.usage.cache_creation_input_tokens).toBe(1500);
    const two = await turn([...history, marked(textOf(200, 'n'))]);
    expect(two.usage.cache_read_input_tokens).toBe(1500);
    expect(two.usage.cache_creation_input_tokens).toBe(300 + 200);
    expect(two.usage.input_tokens).toBe(0);
  });

  it('puts the automatic top-level cache_control on the last block', async () => {
    const call = () =>
      client.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 20,
        cache_control: { type: 'ephemeral' },
        system: textOf(1500),
        messages: [{ role: 'user', content: 'summarise' }],
      } as Anthropic.MessageCreateParamsNonStreaming);
    const total = 1500 + tokensForChars('summarise'.length);
    expect((await call()).usage.cache_creation_input_tokens).toBe(total);
    expect((await call()).usage.cache_read_input_tokens).toBe(total);
  });

  it('refuses more than four cache_control blocks with invalid_request_error', async () => {
    const block = (i: number) => ({ type: 'text' as const, text: `part ${i}`, cache_control: { type: 'ephemeral' as const } });
    await expect(
      client.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 20,
        system: [1, 2, 3, 4, 5].map(block),
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toBeInstanceOf(BadRequestError);
  });

  it('reports the same cache usage in a stream as in JSON', async () => {
    await ask({ system: 2000 });
    const final = await client.messages
      .stream({
        model: 'claude-sonnet-4-6',
        max_tokens: 20,
        system: [{ type: 'text', text: textOf(2000), cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: 'What does it say?' }],
      })
      .finalMessage();
    expect(final.usage.cache_read_input_tokens).toBe(2000);
    expect(final.usage.input_tokens).toBe(questionTokens);
  });
});
