import { describe, expect, it } from 'vitest';
import { InvalidMessagesBody, readMessagesBody } from '../../../../electron/core/providers/ollama/read-body';

const base = { model: 'claude-haiku-4-5', max_tokens: 100 };

function fails(raw: Record<string, unknown>): string {
  try {
    readMessagesBody(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidMessagesBody);
    return (e as Error).message;
  }
  throw new Error('expected the body to be refused');
}

describe('readMessagesBody', () => {
  it('keeps every field the translation reads', () => {
    const raw = {
      ...base,
      system: [{ type: 'text', text: 'S', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Read', input: { path: 'a' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'x' }], is_error: false }] },
      ],
      tools: [{ name: 'Read', description: 'd', input_schema: { type: 'object' } }],
      tool_choice: { type: 'tool', name: 'Read' },
      temperature: 0.5,
      top_p: 0.9,
      top_k: 5,
      stop_sequences: ['X'],
      stream: true,
      thinking: { type: 'enabled', budget_tokens: 2000 },
      metadata: { user_id: 'u' },
    };
    const body = readMessagesBody(raw);
    expect(body).toEqual({
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      system: [{ type: 'text', text: 'S' }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Read', input: { path: 'a' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'x' }], is_error: false }] },
      ],
      tools: [{ name: 'Read', description: 'd', input_schema: { type: 'object' } }],
      tool_choice: { type: 'tool', name: 'Read' },
      temperature: 0.5,
      top_p: 0.9,
      top_k: 5,
      stop_sequences: ['X'],
      stream: true,
      thinking: { type: 'enabled', budget_tokens: 2000 },
    });
  });

  it('names the field of a malformed block', () => {
    expect(fails({ ...base, messages: [{ role: 'user', content: [{ type: 'tool_use', name: 'Read' }] }] })).toBe(
      'messages.0.content.0: a tool_use block needs "id" and "name"',
    );
    expect(fails({ ...base, messages: [{ role: 'user', content: [{ type: 'text' }] }] })).toBe('messages.0.content.0.text: Field required (a string)');
    expect(fails({ ...base, messages: [{ role: 'robot', content: 'x' }] })).toBe('messages.0.role: must be "user", "assistant" or "system"');
    expect(fails({ ...base, messages: [{ role: 'user', content: [{ type: 'tool_result' }] }] })).toBe('messages.0.content.0.tool_use_id: Field required (a string)');
    expect(fails({ ...base, messages: [{ role: 'user', content: [{ type: 'image' }] }] })).toBe('messages.0.content.0.source: Field required (an object with a type)');
  });

  it('refuses a body without model or messages, and wrongly typed options', () => {
    expect(fails({ messages: [] })).toBe('model: Field required (a string)');
    expect(fails({ model: 'm' })).toBe('messages: Field required (an array of messages)');
    expect(fails({ ...base, messages: [], temperature: 'hot' })).toBe('temperature: must be a number');
    expect(fails({ ...base, messages: [], system: [{ type: 'image' }] })).toBe('system.0: must be a text block');
    expect(fails({ ...base, messages: [], tool_choice: { type: 'maybe' } })).toBe('tool_choice.type: must be "auto", "any", "tool" or "none"');
    expect(fails({ ...base, messages: [], stop_sequences: [1] })).toBe('stop_sequences.0: must be a string');
  });

  it('keeps blocks it does not know as a visible note rather than failing', () => {
    const body = readMessagesBody({
      ...base,
      messages: [{ role: 'user', content: [{ type: 'search_result', source: 'x', content: [] }, { type: 'text', text: 'go' }] }],
    });
    expect(body.messages[0]?.content).toEqual([
      { type: 'text', text: '[search_result content omitted: not supported by the local model]' },
      { type: 'text', text: 'go' },
    ]);
  });

  it('treats a tool_use without input as an empty input', () => {
    const body = readMessagesBody({ ...base, messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'Now' }] }] });
    expect(body.messages[0]?.content).toEqual([{ type: 'tool_use', id: 't', name: 'Now', input: {} }]);
  });
});

describe('mid-conversation system turns (Claude Code 2.1.3xx)', () => {
  it('become system messages in place', async () => {
    const { anthropicToOllama } = await import('../../../../electron/core/providers/ollama/translate');
    const { readMessagesBody } = await import('../../../../electron/core/providers/ollama/translate');
    const body = readMessagesBody({
      model: 'm',
      max_tokens: 10,
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'system', content: [{ type: 'text', text: 'tools changed' }] },
        { role: 'user', content: 'go on' },
      ],
    });
    const req = anthropicToOllama(body, 'local', { vision: false });
    expect(req.messages?.map((m) => [m.role, m.content])).toEqual([
      ['user', 'hi'],
      ['system', 'tools changed'],
      ['user', 'go on'],
    ]);
  });
});
