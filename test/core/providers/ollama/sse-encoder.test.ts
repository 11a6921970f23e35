import { describe, expect, it } from 'vitest';
import { AnthropicSseEncoder } from '../../../../electron/core/providers/ollama/translate';
import { slices } from '../../../../electron/core/providers/ollama/sse-encoder';
import { toolUseId } from '../../../../electron/core/providers/ollama/tool-ids';
import { chunk, done, parseSse, toolChunk } from './chunks';

const ctx = { id: 'msg_sluice_s', model: 'llama3.2:3b', inputTokensEstimate: 40 };

function run(enc: AnthropicSseEncoder, ...parts: ReturnType<typeof chunk>[]): string {
  let out = enc.start();
  for (const p of parts) out += p.done ? enc.finish(p) : enc.push(p);
  return out;
}

describe('AnthropicSseEncoder', () => {
  it('opens with message_start (empty content, estimated input) and a ping', () => {
    const events = parseSse(new AnthropicSseEncoder(ctx).start());
    expect(events.map((e) => e.event)).toEqual(['message_start', 'ping']);
    expect(events[0]?.data).toEqual({
      type: 'message_start',
      message: {
        id: 'msg_sluice_s',
        type: 'message',
        role: 'assistant',
        model: 'llama3.2:3b',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 40, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      },
    });
    expect(events[1]?.data).toEqual({ type: 'ping' });
  });

  it('streams text as text_delta in one text block, then message_delta with Ollama counts and message_stop', () => {
    const events = parseSse(run(new AnthropicSseEncoder(ctx), chunk('Hel'), chunk('lo'), done({ prompt: 26, output: 2 })));
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[2]?.data).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    expect(events[3]?.data).toEqual({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } });
    expect(events[5]?.data).toEqual({ type: 'content_block_stop', index: 0 });
    expect(events[6]?.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: 26, output_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
    expect(events[7]?.data).toEqual({ type: 'message_stop' });
  });

  it('gives each tool call its own tool_use block with empty input, then the arguments as input_json_delta', () => {
    const args = { command: 'npm test -- --reporter=verbose', description: 'x'.repeat(200) };
    const events = parseSse(
      run(
        new AnthropicSseEncoder(ctx),
        chunk('Running.'),
        toolChunk({ name: 'Bash', arguments: args }, { name: 'Read', arguments: { path: 'a.ts' } }),
        done({ prompt: 50, output: 40 }),
      ),
    );
    const starts = events.filter((e) => e.event === 'content_block_start').map((e) => e.data);
    expect(starts).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: toolUseId('msg_sluice_s', 0), name: 'Bash', input: {} } },
      { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: toolUseId('msg_sluice_s', 1), name: 'Read', input: {} } },
    ]);
    const jsonOf = (index: number) =>
      events
        .filter((e) => e.event === 'content_block_delta' && e.data.index === index)
        .map((e) => (e.data.delta as { type: string; partial_json: string }).partial_json)
        .join('');
    const bashParts = events.filter((e) => e.event === 'content_block_delta' && e.data.index === 1);
    expect(bashParts.length).toBeGreaterThan(1);
    expect(bashParts.every((e) => (e.data.delta as { type: string }).type === 'input_json_delta')).toBe(true);
    expect(JSON.parse(jsonOf(1))).toEqual(args);
    expect(JSON.parse(jsonOf(2))).toEqual({ path: 'a.ts' });
    // Blocks close in order, each before the next opens.
    const order = events.filter((e) => e.event.startsWith('content_block_s')).map((e) => `${e.event === 'content_block_start' ? '+' : '-'}${String(e.data.index)}`);
    expect(order).toEqual(['+0', '-0', '+1', '-1', '+2', '-2']);
    expect(events.find((e) => e.event === 'message_delta')?.data.delta).toEqual({ stop_reason: 'tool_use', stop_sequence: null });
  });

  it('opens a new text block for text after a tool call', () => {
    const events = parseSse(run(new AnthropicSseEncoder(ctx), toolChunk({ name: 'A', arguments: {} }), chunk('after'), done({ prompt: 1, output: 1 })));
    const starts = events.filter((e) => e.event === 'content_block_start').map((e) => [e.data.index, (e.data.content_block as { type: string }).type]);
    expect(starts).toEqual([
      [0, 'tool_use'],
      [1, 'text'],
    ]);
  });

  it('reports max_tokens when Ollama stopped for length', () => {
    const events = parseSse(run(new AnthropicSseEncoder(ctx), chunk('cut'), done({ prompt: 3, output: 1, reason: 'length' })));
    expect(events.find((e) => e.event === 'message_delta')?.data.delta).toEqual({ stop_reason: 'max_tokens', stop_sequence: null });
  });

  it('drops thinking chunks but counts them as output until the counts arrive', () => {
    const enc = new AnthropicSseEncoder(ctx);
    const text = run(enc, chunk('', { thinking: 'hmm' }), chunk('', { thinking: ' ok' }), chunk('Yes'));
    expect(parseSse(text).filter((e) => e.event === 'content_block_start')).toHaveLength(1);
    expect(text).not.toContain('hmm');
    expect(enc.usage()).toEqual({ inputTokens: 40, outputTokens: 3, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0 });
    enc.finish(done({ prompt: 31, output: 12 }));
    expect(enc.usage()).toMatchObject({ inputTokens: 31, outputTokens: 12 });
  });

  it('emits content carried by the final chunk before closing', () => {
    const events = parseSse(run(new AnthropicSseEncoder(ctx), done({ prompt: 1, output: 1 }, { content: 'all at once' })));
    expect(events.map((e) => e.event)).toEqual(['message_start', 'ping', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
  });

  it('treats push of the done chunk as finish, and writes nothing after the end', () => {
    const enc = new AnthropicSseEncoder(ctx);
    const viaPush = enc.start() + enc.push(chunk('a')) + enc.push(done({ prompt: 2, output: 1 }));
    expect(parseSse(viaPush).at(-1)?.event).toBe('message_stop');
    expect(enc.finish(done({ prompt: 2, output: 1 }))).toBe('');
    expect(enc.push(chunk('late'))).toBe('');
    expect(enc.error('api_error', 'late')).toBe('');
  });

  it('starts the message by itself when the first call is push', () => {
    const events = parseSse(new AnthropicSseEncoder(ctx).push(chunk('x')));
    expect(events.map((e) => e.event)).toEqual(['message_start', 'ping', 'content_block_start', 'content_block_delta']);
  });

  it('sends an error event in the API format and nothing after it', () => {
    const enc = new AnthropicSseEncoder(ctx);
    enc.start();
    enc.push(chunk('partial'));
    const events = parseSse(enc.error('overloaded_error', 'Overloaded'));
    expect(events).toEqual([{ event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } }]);
    expect(enc.push(chunk('more'))).toBe('');
    expect(enc.usage()).toMatchObject({ inputTokens: 40, outputTokens: 1 });
  });

  it('falls back to the estimate and the chunk count when Ollama omits its counts', () => {
    const enc = new AnthropicSseEncoder(ctx);
    const events = parseSse(run(enc, chunk('a'), chunk('b'), done({ prompt: 0, output: 0 })));
    expect(events.find((e) => e.event === 'message_delta')?.data.usage).toMatchObject({ input_tokens: 40, output_tokens: 2 });
  });
});

describe('slices', () => {
  it('cuts a string into pieces that join back to it, never splitting a surrogate pair', () => {
    const s = `{"emoji":"${'😀'.repeat(40)}"}`;
    const parts = slices(s, 7);
    expect(parts.join('')).toBe(s);
    for (const p of parts) expect(p).toBe(Buffer.from(p, 'utf8').toString('utf8'));
    expect(slices('', 5)).toEqual([]);
  });
});
