import Anthropic, {
  AuthenticationError,
  BadRequestError,
  ContentTooLargeError,
  InternalServerError,
  NotFoundError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
  type APIError,
} from '@anthropic-ai/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ANSWER, startFakeAnthropic, tokensForChars, type FakeAnthropic } from './anthropic';

let fake: FakeAnthropic;
const client = (opts: Partial<ConstructorParameters<typeof Anthropic>[0]> = {}) =>
  new Anthropic({ apiKey: 'sk-test', baseURL: fake.url, maxRetries: 0, ...opts });

beforeAll(async () => {
  fake = await startFakeAnthropic();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const question = 'What is the capital of France? Answer in one word.';

describe('fake Anthropic /v1/messages through @anthropic-ai/sdk', () => {
  it('answers a JSON request with the message shape and usage computed from the prompt', async () => {
    const msg = await client().messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 100,
      system: 'Be brief.',
      messages: [{ role: 'user', content: question }],
    });
    expect(msg.id).toMatch(/^msg_/);
    expect(msg.type).toBe('message');
    expect(msg.role).toBe('assistant');
    expect(msg.model).toBe('claude-sonnet-4-6');
    expect(msg.content).toEqual([{ type: 'text', text: DEFAULT_ANSWER }]);
    expect(msg.stop_reason).toBe('end_turn');
    expect(msg.stop_sequence).toBeNull();
    expect(msg.usage.input_tokens).toBe(tokensForChars('Be brief.'.length) + tokensForChars(question.length));
    expect(msg.usage.output_tokens).toBe(tokensForChars(DEFAULT_ANSWER.length));
    expect(msg.usage.cache_read_input_tokens).toBe(0);
    expect(msg.usage.cache_creation_input_tokens).toBe(0);
    expect(fake.requests[0]?.path).toBe('/v1/messages');
    // SDK 1.14 sends the key as a Bearer token, not x-api-key.
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer sk-test');
  });

  it('serves the beta client with anthropic-beta headers and an OAuth token', async () => {
    const beta = client({ apiKey: null, authToken: 'oauth-token' });
    const msg = await beta.beta.messages.create({
      model: 'claude-opus-4-8',
      max_tokens: 50,
      betas: ['context-management-2025-06-27'],
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(msg.content[0]?.type).toBe('text');
    const rec = fake.requests[0];
    expect(rec?.headers['anthropic-beta']).toContain('context-management-2025-06-27');
    expect(rec?.headers.authorization).toBe('Bearer oauth-token');
  });

  it("accepts Claude Code's ?beta=true and x-api-key", async () => {
    const res = await fetch(`${fake.url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { 'x-api-key': 'sk-cc', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'claude-code-20250219', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-opus-4-8', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    expect(fake.requests[0]?.query.get('beta')).toBe('true');
    expect(fake.requests[0]?.headers['x-api-key']).toBe('sk-cc');
  });

  it('cuts a long text answer at max_tokens with stop_reason max_tokens', async () => {
    fake.enqueue({ type: 'message', text: 'word '.repeat(400) });
    const msg = await client().messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'talk' }] });
    expect(msg.stop_reason).toBe('max_tokens');
    expect(msg.usage.output_tokens).toBe(10);
  });

  it('streams a text answer whose events rebuild the same message', async () => {
    fake.enqueue({ type: 'message', text: 'Paris is the capital of France, on the Seine.' });
    const seen: string[] = [];
    const stream = client().messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 100, messages: [{ role: 'user', content: question }] });
    stream.on('streamEvent', (e) => seen.push(e.type));
    const text: string[] = [];
    stream.on('text', (t) => text.push(t));
    const final = await stream.finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: 'Paris is the capital of France, on the Seine.' }]);
    expect(text.length).toBeGreaterThan(1);
    expect(text.join('')).toBe('Paris is the capital of France, on the Seine.');
    expect(seen[0]).toBe('message_start');
    expect(seen[1]).toBe('content_block_start');
    expect(seen.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(final.usage.input_tokens).toBe(tokensForChars(question.length));
    expect(final.usage.output_tokens).toBe(tokensForChars('Paris is the capital of France, on the Seine.'.length));
    expect(final.stop_reason).toBe('end_turn');
  });

  it('streams tool_use input as input_json_delta chunks the SDK reassembles', async () => {
    const input = { path: 'src/index.ts', edits: [{ line: 3, text: 'const x = "a, b";' }], dryRun: false };
    fake.enqueue({ type: 'message', content: [{ type: 'text', text: 'Editing.' }, { type: 'tool_use', name: 'edit_file', input }] });
    const partials: string[] = [];
    const stream = client().messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 500,
      tools: [{ name: 'edit_file', description: 'Edit a file', input_schema: { type: 'object', properties: {} } }],
      messages: [{ role: 'user', content: 'fix it' }],
    });
    stream.on('inputJson', (p) => partials.push(p));
    const final = await stream.finalMessage();
    expect(partials.length).toBeGreaterThan(2);
    expect(partials.join('')).toBe(JSON.stringify(input));
    const tool = final.content[1];
    expect(tool?.type).toBe('tool_use');
    if (tool?.type !== 'tool_use') throw new Error('no tool_use block');
    expect(tool.id).toMatch(/^toolu_/);
    expect(tool.name).toBe('edit_file');
    expect(tool.input).toEqual(input);
    expect(final.stop_reason).toBe('tool_use');
  });

  it('streams thinking with thinking_delta and signature_delta', async () => {
    fake.enqueue({
      type: 'message',
      content: [{ type: 'thinking', thinking: 'Let me think about it step by step.', signature: 'sig-abc' }, { type: 'text', text: '42' }],
    });
    const final = await client()
      .messages.stream({ model: 'claude-opus-4-8', max_tokens: 2000, messages: [{ role: 'user', content: 'answer?' }] })
      .finalMessage();
    expect(final.content[0]).toEqual({ type: 'thinking', thinking: 'Let me think about it step by step.', signature: 'sig-abc' });
    expect(final.content[1]).toEqual({ type: 'text', text: '42' });
  });

  it('lets a reply override the computed usage', async () => {
    fake.enqueue({ type: 'message', text: 'ok', usage: { input_tokens: 12, cache_read_input_tokens: 2000, output_tokens: 7 } });
    const msg = await client().messages.create({ model: 'claude-opus-4-8', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    expect(msg.usage.input_tokens).toBe(12);
    expect(msg.usage.cache_read_input_tokens).toBe(2000);
    expect(msg.usage.output_tokens).toBe(7);
  });

  it('asks the responder when the queue is empty, and passes it the recorded request', async () => {
    fake.setResponder((req) => {
      const body = req.body as { messages: { content: string }[] };
      return { type: 'message', text: `echo: ${body.messages[0]?.content ?? ''}` };
    });
    const msg = await client().messages.create({ model: 'claude-sonnet-4-6', max_tokens: 50, messages: [{ role: 'user', content: 'ping' }] });
    expect(msg.content).toEqual([{ type: 'text', text: 'echo: ping' }]);
  });
});

describe('fake Anthropic errors through @anthropic-ai/sdk', () => {
  const cases: [number, new (...args: never[]) => APIError, string][] = [
    [400, BadRequestError, 'invalid_request_error'],
    [401, AuthenticationError, 'authentication_error'],
    [403, PermissionDeniedError, 'permission_error'],
    [404, NotFoundError, 'not_found_error'],
    [413, ContentTooLargeError, 'request_too_large'],
    [429, RateLimitError, 'rate_limit_error'],
    [500, InternalServerError, 'api_error'],
    [529, OverloadedError, 'overloaded_error'],
  ];
  it.each(cases)('maps a scripted %i to the SDK error class and the docs error type', async (status, cls, type) => {
    fake.enqueue({ type: 'error', status, message: `scripted ${status}` });
    const err: unknown = await client()
      .messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(cls);
    const apiErr = err as APIError;
    expect(apiErr.status).toBe(status);
    expect(apiErr.type).toBe(type);
    expect(apiErr.apiMessage).toBe(`scripted ${status}`);
    expect(apiErr.requestID).toMatch(/^req_/);
    expect(apiErr.error).toMatchObject({ type: 'error', error: { type, message: `scripted ${status}` }, request_id: apiErr.requestID });
  });

  it('refuses keys outside apiKeys with authentication_error', async () => {
    const strict = await startFakeAnthropic({ apiKeys: ['sk-good'] });
    try {
      const bad = new Anthropic({ apiKey: 'sk-bad', baseURL: strict.url, maxRetries: 0 });
      await expect(bad.models.list()).rejects.toBeInstanceOf(AuthenticationError);
      const good = new Anthropic({ apiKey: 'sk-good', baseURL: strict.url, maxRetries: 0 });
      expect((await good.models.list()).data.length).toBeGreaterThan(0);
    } finally {
      await strict.close();
    }
  });

  it('refuses an unknown model with not_found_error', async () => {
    await expect(
      client().messages.create({ model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('is retried by the SDK after the retry-after it sends', async () => {
    fake.enqueue({ type: 'error', status: 529, retryAfter: 1 }, { type: 'message', text: 'second time lucky' });
    const msg = await client({ maxRetries: 2 }).messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(msg.content).toEqual([{ type: 'text', text: 'second time lucky' }]);
    expect(fake.requests).toHaveLength(2);
    // The SDK's own first backoff is at most 0.5 s; a gap of a full second means it obeyed retry-after.
    const [first, second] = fake.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('sends retry-after on a scripted 429 and the SDK exposes it', async () => {
    fake.enqueue({ type: 'error', status: 429, retryAfter: 30 });
    const err = (await client()
      .messages.create({ model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e)) as APIError;
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.headers?.get('retry-after')).toBe('30');
  });
});

describe('fake Anthropic count_tokens, models and batches through @anthropic-ai/sdk', () => {
  it('counts tokens by the same rule as messages.create', async () => {
    const params = {
      model: 'claude-sonnet-4-6',
      system: 'You are a careful reviewer.',
      tools: [{ name: 'read', description: 'Read a file', input_schema: { type: 'object' as const, properties: { p: { type: 'string' } } } }],
      messages: [{ role: 'user' as const, content: 'Review src/app.ts please.' }],
    };
    const counted = await client().messages.countTokens(params);
    const created = await client().messages.create({ ...params, max_tokens: 20 });
    expect(counted.input_tokens).toBe(created.usage.input_tokens);
    expect(counted.input_tokens).toBe(
      tokensForChars('read'.length + 'Read a file'.length + JSON.stringify(params.tools[0]?.input_schema).length) +
        tokensForChars('You are a careful reviewer.'.length) +
        tokensForChars('Review src/app.ts please.'.length),
    );
  });

  it('lists models with the list shape and pages through them', async () => {
    const page = await client().models.list({ limit: 2 });
    expect(page.data).toHaveLength(2);
    expect(page.data[0]).toMatchObject({ type: 'model', id: 'claude-opus-4-8', display_name: 'Claude Opus 4.8' });
    expect(page.has_more).toBe(true);
    const all: string[] = [];
    for await (const m of client().models.list({ limit: 2 })) all.push(m.id);
    expect(all).toEqual(['claude-opus-4-8', 'claude-sonnet-4-6', 'claude-haiku-4-5-20251001', 'claude-opus-4-5-20251101', 'claude-sonnet-4-5-20250929']);
  });

  it('runs a batch from in_progress to ended and returns JSONL results with batch usage', async () => {
    let clock = 1_000_000;
    const slow = await startFakeAnthropic({ batchDelayMs: 60_000, now: () => clock });
    try {
      const c = new Anthropic({ apiKey: 'k', baseURL: slow.url, maxRetries: 0 });
      slow.enqueue({ type: 'error', status: 529 });
      const batch = await c.messages.batches.create({
        requests: [
          { custom_id: 'a', params: { model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'one' }] } },
          { custom_id: 'b', params: { model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'two' }] } },
          { custom_id: 'c', params: { model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'no max' }] } as never },
        ],
      });
      expect(batch.id).toMatch(/^msgbatch_/);
      expect(batch.processing_status).toBe('in_progress');
      expect(batch.request_counts.processing).toBe(3);
      expect(batch.results_url).toBeNull();
      expect((await c.messages.batches.retrieve(batch.id)).processing_status).toBe('in_progress');
      clock += 60_000;
      const ended = await c.messages.batches.retrieve(batch.id);
      expect(ended.processing_status).toBe('ended');
      expect(ended.request_counts).toEqual({ processing: 0, succeeded: 1, errored: 2, canceled: 0, expired: 0 });
      expect(ended.results_url).toBe(`${slow.url}/v1/messages/batches/${batch.id}/results`);
      const results = new Map<string, Anthropic.Messages.MessageBatchResult>();
      for await (const line of await c.messages.batches.results(batch.id)) results.set(line.custom_id, line.result);
      expect(results.get('a')).toMatchObject({ type: 'errored', error: { type: 'error', error: { type: 'overloaded_error' } } });
      const b = results.get('b');
      expect(b?.type).toBe('succeeded');
      if (b?.type !== 'succeeded') throw new Error('b did not succeed');
      expect(b.message.usage.input_tokens).toBe(tokensForChars('two'.length));
      expect(b.message.usage.service_tier).toBe('batch');
      expect(results.get('c')).toMatchObject({ type: 'errored', error: { error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } } });
    } finally {
      await slow.close();
    }
  });

  it('cancels a batch in progress: canceling, then ended with every request canceled', async () => {
    const slow = await startFakeAnthropic({ batchDelayMs: 3_600_000 });
    try {
      const c = new Anthropic({ apiKey: 'k', baseURL: slow.url, maxRetries: 0 });
      const batch = await c.messages.batches.create({
        requests: [{ custom_id: 'only', params: { model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] } }],
      });
      const canceling = await c.messages.batches.cancel(batch.id);
      expect(canceling.processing_status).toBe('canceling');
      expect(canceling.cancel_initiated_at).not.toBeNull();
      const ended = await c.messages.batches.retrieve(batch.id);
      expect(ended.processing_status).toBe('ended');
      expect(ended.request_counts.canceled).toBe(1);
      const lines = [];
      for await (const line of await c.messages.batches.results(batch.id)) lines.push(line);
      expect(lines).toEqual([{ custom_id: 'only', result: { type: 'canceled' } }]);
    } finally {
      await slow.close();
    }
  });

  it('answers an unknown batch id with not_found_error', async () => {
    await expect(client().messages.batches.retrieve('msgbatch_nope')).rejects.toBeInstanceOf(NotFoundError);
  });
});
