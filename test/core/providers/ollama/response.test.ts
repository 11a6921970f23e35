import { describe, expect, it } from 'vitest';
import { ollamaToAnthropic, ollamaUsage, toolArguments } from '../../../../electron/core/providers/ollama/translate';
import { toolUseId } from '../../../../electron/core/providers/ollama/tool-ids';
import { done } from './chunks';

const ctx = { id: 'msg_sluice_1', model: 'qwen2.5-coder:7b' };

describe('ollamaToAnthropic', () => {
  it('answers text as one text block, end_turn, with Ollama counts as usage', () => {
    const msg = ollamaToAnthropic(done({ prompt: 26, output: 298 }, { content: 'Hello! How are you today?' }), ctx);
    expect(msg).toEqual({
      id: 'msg_sluice_1',
      type: 'message',
      role: 'assistant',
      model: 'qwen2.5-coder:7b',
      content: [{ type: 'text', text: 'Hello! How are you today?' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 26, output_tokens: 298, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });

  it('answers tool calls as tool_use blocks after the text, with stop_reason tool_use', () => {
    const msg = ollamaToAnthropic(
      done(
        { prompt: 122, output: 33 },
        {
          content: 'Checking.',
          tool_calls: [
            { function: { name: 'get_current_weather', arguments: { location: 'Paris, FR', format: 'celsius' } } },
            { function: { name: 'get_current_weather', arguments: { location: 'Toronto', format: 'celsius' } } },
          ],
        },
      ),
      ctx,
    );
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.content).toEqual([
      { type: 'text', text: 'Checking.' },
      { type: 'tool_use', id: toolUseId('msg_sluice_1', 0), name: 'get_current_weather', input: { location: 'Paris, FR', format: 'celsius' } },
      { type: 'tool_use', id: toolUseId('msg_sluice_1', 1), name: 'get_current_weather', input: { location: 'Toronto', format: 'celsius' } },
    ]);
  });

  it('mints tool_use ids shaped like Anthropic ones, stable per message and position, distinct otherwise', () => {
    const a = toolUseId('msg_1', 0);
    expect(a).toMatch(/^toolu_01[0-9A-Za-z]{22}$/);
    expect(toolUseId('msg_1', 0)).toBe(a);
    expect(toolUseId('msg_1', 1)).not.toBe(a);
    expect(toolUseId('msg_2', 0)).not.toBe(a);
  });

  it('reports max_tokens when Ollama stopped for length', () => {
    expect(ollamaToAnthropic(done({ prompt: 5, output: 16, reason: 'length' }, { content: 'cut' }), ctx).stop_reason).toBe('max_tokens');
  });

  it('drops thinking (an unsigned thinking block would be rejected when sent back) and answers an empty content', () => {
    const msg = ollamaToAnthropic(done({ prompt: 5, output: 9 }, { content: '', thinking: 'let me think' }), ctx);
    expect(msg.content).toEqual([]);
    expect(msg.stop_reason).toBe('end_turn');
  });

  it('reads tool arguments sent as a JSON string, and keeps non-JSON ones visible', () => {
    expect(toolArguments('{"path":"a.ts"}')).toEqual({ path: 'a.ts' });
    expect(toolArguments('not json')).toEqual({ raw: 'not json' });
    expect(toolArguments('')).toEqual({});
    expect(toolArguments(null)).toEqual({});
    expect(toolArguments(['x'])).toEqual({});
  });

  it('maps usage to Sluice usage, with no cache and no negative or fractional counts', () => {
    expect(ollamaUsage({ prompt_eval_count: 10, eval_count: 3 })).toEqual({
      inputTokens: 10,
      outputTokens: 3,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
      cacheReadTokens: 0,
    });
    // A cached prompt (Ollama reuses the KV cache) may come back without prompt_eval_count.
    expect(ollamaUsage({ prompt_eval_count: undefined as unknown as number, eval_count: -1 })).toMatchObject({ inputTokens: 0, outputTokens: 0 });
  });
});
