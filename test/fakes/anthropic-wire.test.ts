// What the fake Anthropic API puts on the wire, read with plain node:http — no SDK in between.
import Anthropic, { APIError } from '@anthropic-ai/sdk';
import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from './anthropic';

let fake: FakeAnthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic();
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const HEADERS = { 'x-api-key': 'k', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };
const BODY = { model: 'claude-sonnet-4-6', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hello' }] };

interface RawResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** How the body ended: 'end' (complete) or 'aborted' (connection cut mid-body). */
  ending: 'end' | 'aborted';
}

function raw(body: unknown, path = '/v1/messages', headers: Record<string, string> = HEADERS, method = 'POST'): Promise<RawResult> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(`${fake.url}${path}`, { method, headers }, (res) => {
      let text = '';
      let settled = false;
      const done = (ending: RawResult['ending']) => {
        if (settled) return;
        settled = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, ending });
      };
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => done('end'));
      res.on('aborted', () => done('aborted'));
      res.on('error', () => done('aborted'));
    });
    req.on('error', reject);
    req.end(method === 'GET' ? undefined : payload);
  });
}

function events(text: string): { event: string; data: Record<string, unknown> }[] {
  return text
    .split('\n\n')
    .filter((chunk) => chunk.trim().length > 0)
    .map((chunk) => {
      const [eventLine, dataLine, ...rest] = chunk.split('\n');
      expect(rest).toEqual([]);
      expect(eventLine).toMatch(/^event: [a-z_]+$/);
      expect(dataLine).toMatch(/^data: \{/);
      return { event: (eventLine ?? '').slice('event: '.length), data: JSON.parse((dataLine ?? '').slice('data: '.length)) as Record<string, unknown> };
    });
}

describe('fake Anthropic on the wire', () => {
  it('streams the documented event sequence as `event: X\\ndata: {json}\\n\\n`', async () => {
    fake.enqueue({ type: 'message', text: 'one two three four five six seven' });
    const r = await raw(BODY);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(r.headers['request-id']).toMatch(/^req_/);
    expect(r.ending).toBe('end');
    const evs = events(r.text);
    for (const e of evs) expect(e.data.type).toBe(e.event);
    expect(evs.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const start = evs[0]?.data.message as { content: unknown[]; stop_reason: unknown; usage: Record<string, number> };
    expect(start.content).toEqual([]);
    expect(start.stop_reason).toBeNull();
    expect(start.usage.output_tokens).toBe(1);
    expect(start.usage.input_tokens).toBe(2);
    expect(start.usage).toHaveProperty('cache_creation_input_tokens', 0);
    expect(start.usage).toHaveProperty('cache_read_input_tokens', 0);
    const delta = evs[7]?.data as { delta: { stop_reason: string }; usage: { output_tokens: number } };
    expect(delta.delta.stop_reason).toBe('end_turn');
    expect(delta.usage.output_tokens).toBe(Math.ceil('one two three four five six seven'.length / 4));
  });

  it('cuts the connection after N events when told to die mid-stream', async () => {
    fake.enqueue({ type: 'message', text: 'a b c d e f g h i j k l', disconnectAfterEvents: 4 });
    const r = await raw(BODY);
    expect(r.status).toBe(200);
    expect(r.ending).toBe('aborted');
    const evs = events(r.text);
    expect(evs.map((e) => e.event)).toEqual(['message_start', 'content_block_start', 'ping', 'content_block_delta']);
  });

  it('sends `event: error` with the error body after N events, then ends without message_stop', async () => {
    fake.enqueue({ type: 'message', text: 'a b c d e f', errorAfterEvents: { after: 3, type: 'overloaded_error', message: 'Overloaded' } });
    const r = await raw(BODY);
    expect(r.status).toBe(200);
    expect(r.ending).toBe('end');
    const evs = events(r.text);
    expect(evs.map((e) => e.event)).toEqual(['message_start', 'content_block_start', 'ping', 'error']);
    expect(evs[3]?.data).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  });

  it('makes the SDK stream fail with the streamed error type, and with a connection error on a cut', async () => {
    const client = new Anthropic({ apiKey: 'k', baseURL: fake.url, maxRetries: 0 });
    const params = { model: 'claude-sonnet-4-6', max_tokens: 50, messages: [{ role: 'user' as const, content: 'x' }] };
    fake.enqueue({ type: 'message', text: 'a b c d e f', errorAfterEvents: { after: 4, type: 'overloaded_error', message: 'Overloaded' } });
    const streamed = await client.messages.stream(params).finalMessage().catch((e: unknown) => e);
    expect(streamed).toBeInstanceOf(APIError);
    expect((streamed as APIError).type).toBe('overloaded_error');
    fake.enqueue({ type: 'message', text: 'a b c d e f', disconnectAfterEvents: 4 });
    const cut = await client.messages.stream(params).finalMessage().catch((e: unknown) => e);
    expect(cut).toBeInstanceOf(Error);
  });

  it('answers an invalid body with 400 invalid_request_error in the documented shape', async () => {
    const cases: [unknown, string][] = [
      [{ max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }, 'model: Field required'],
      [{ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'x' }] }, 'max_tokens: Field required'],
      [{ model: 'claude-sonnet-4-6', max_tokens: 5 }, 'messages: Field required'],
      [{ model: 'claude-sonnet-4-6', max_tokens: 5, messages: [{ role: 'system', content: 'x' }] }, "messages.0.role: Input should be 'user' or 'assistant'"],
    ];
    for (const [body, message] of cases) {
      const r = await raw(body);
      expect(r.status).toBe(400);
      expect(r.headers['request-id']).toMatch(/^req_/);
      expect(JSON.parse(r.text)).toEqual({ type: 'error', error: { type: 'invalid_request_error', message }, request_id: r.headers['request-id'] });
    }
    expect((await raw('{not json')).status).toBe(400);
  });

  it('requires a key and the anthropic-version header', async () => {
    const noKey = await raw(BODY, '/v1/messages', { 'anthropic-version': '2023-06-01', 'content-type': 'application/json' });
    expect(noKey.status).toBe(401);
    expect(JSON.parse(noKey.text)).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    const noVersion = await raw(BODY, '/v1/messages', { 'x-api-key': 'k', 'content-type': 'application/json' });
    expect(noVersion.status).toBe(400);
  });

  it('answers an unknown path with 404 not_found_error and HEAD / with 200', async () => {
    const r = await raw(undefined, '/v1/nothing-here', HEADERS, 'GET');
    expect(r.status).toBe(404);
    expect(JSON.parse(r.text)).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    expect((await raw(undefined, '/', {}, 'HEAD')).status).toBe(200);
  });

  it('answers a body over the size limit with 413 request_too_large', async () => {
    const small = await startFakeAnthropic({ maxRequestBytes: 1000 });
    try {
      const res = await fetch(`${small.url}/v1/messages`, {
        method: 'POST',
        headers: HEADERS,
        body: JSON.stringify({ ...BODY, messages: [{ role: 'user', content: 'x'.repeat(2000) }] }),
      });
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
    } finally {
      await small.close();
    }
  });
});
