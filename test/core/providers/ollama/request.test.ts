import { describe, expect, it } from 'vitest';
import { anthropicToOllama, readMessagesBody, type AnthropicMessagesBody } from '../../../../electron/core/providers/ollama/translate';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const readSchema = {
  type: 'object',
  properties: { path: { type: 'string', description: 'File to read' }, limit: { type: 'integer' } },
  required: ['path'],
  additionalProperties: false,
};

function body(partial: Partial<AnthropicMessagesBody>): AnthropicMessagesBody {
  return { model: 'claude-sonnet-4-6', max_tokens: 1024, messages: [{ role: 'user', content: 'hi' }], ...partial };
}

describe('anthropicToOllama', () => {
  it('sends a string system prompt as the first, system message', () => {
    const req = anthropicToOllama(body({ system: 'Be brief.' }), 'llama3.2:3b', { vision: false });
    expect(req.model).toBe('llama3.2:3b');
    expect(req.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hi' },
    ]);
  });

  it('joins system text blocks (as Claude Code sends them) into one system message', () => {
    const req = anthropicToOllama(
      body({ system: [{ type: 'text', text: 'You are Claude Code.' }, { type: 'text', text: 'Project rules.', cache_control: { type: 'ephemeral' } }] }),
      'm',
      { vision: false },
    );
    expect(req.messages[0]).toEqual({ role: 'system', content: 'You are Claude Code.\n\nProject rules.' });
  });

  it('sends no system message when there is no system prompt', () => {
    const req = anthropicToOllama(body({}), 'm', { vision: false });
    expect(req.messages.map((m) => m.role)).toEqual(['user']);
  });

  it('joins the text blocks of a user turn', () => {
    const req = anthropicToOllama(
      body({ messages: [{ role: 'user', content: [{ type: 'text', text: '<system-reminder>x</system-reminder>' }, { type: 'text', text: 'Fix the bug.' }] }] }),
      'm',
      { vision: false },
    );
    expect(req.messages).toEqual([{ role: 'user', content: '<system-reminder>x</system-reminder>\n\nFix the bug.' }]);
  });

  it('turns tool_use blocks into assistant tool_calls, keeping the text before them', () => {
    const req = anthropicToOllama(
      body({
        messages: [
          { role: 'user', content: 'Read a.ts and b.ts' },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'Reading both.' },
              { type: 'tool_use', id: 'toolu_1', name: 'Read', input: { path: 'a.ts' } },
              { type: 'tool_use', id: 'toolu_2', name: 'Read', input: { path: 'b.ts', limit: 10 } },
            ],
          },
        ],
      }),
      'm',
      { vision: false },
    );
    expect(req.messages[1]).toEqual({
      role: 'assistant',
      content: 'Reading both.',
      tool_calls: [
        { function: { name: 'Read', arguments: { path: 'a.ts' } } },
        { function: { name: 'Read', arguments: { path: 'b.ts', limit: 10 } } },
      ],
    });
  });

  it('sends each tool_result as a tool message named after its tool_use, in order, before the text that follows', () => {
    const req = anthropicToOllama(
      body({
        messages: [
          { role: 'user', content: 'Read a.ts and run the tests' },
          {
            role: 'assistant',
            content: [
              { type: 'tool_use', id: 'toolu_a', name: 'Read', input: { path: 'a.ts' } },
              { type: 'tool_use', id: 'toolu_b', name: 'Bash', input: { command: 'npm test' } },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'toolu_a', content: 'export const a = 1;' },
              { type: 'tool_result', tool_use_id: 'toolu_b', content: [{ type: 'text', text: '1 failed' }, { type: 'text', text: 'exit 1' }], is_error: true },
              { type: 'text', text: 'Keep going.' },
            ],
          },
        ],
      }),
      'm',
      { vision: false },
    );
    expect(req.messages.slice(2)).toEqual([
      { role: 'tool', content: 'export const a = 1;', tool_name: 'Read' },
      { role: 'tool', content: 'Error: 1 failed\nexit 1', tool_name: 'Bash' },
      { role: 'user', content: 'Keep going.' },
    ]);
  });

  it('leaves tool_name out for a tool_result whose tool_use it never saw (a pruned history)', () => {
    const req = anthropicToOllama(
      body({ messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_gone', content: 'ok' }] }] }),
      'm',
      { vision: false },
    );
    expect(req.messages).toEqual([{ role: 'tool', content: 'ok' }]);
  });

  it('passes base64 images to a vision model as images of the message', () => {
    const req = anthropicToOllama(
      body({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
              { type: 'text', text: 'What is this?' },
            ],
          },
        ],
      }),
      'llava:7b',
      { vision: true },
    );
    expect(req.messages).toEqual([{ role: 'user', content: 'What is this?', images: [PNG] }]);
  });

  it('replaces images with a note naming the model when it cannot see', () => {
    const req = anthropicToOllama(
      body({ messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }, { type: 'text', text: 'Describe it.' }] }] }),
      'llama3.2:3b',
      { vision: false },
    );
    expect(req.messages[0]?.images).toBeUndefined();
    expect(req.messages[0]?.content).toBe('[image omitted: the local model llama3.2:3b cannot read images]\n\nDescribe it.');
  });

  it('notes URL images instead of sending them, even to a vision model (Ollama takes only bytes)', () => {
    const req = anthropicToOllama(
      body({ messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } }] }] }),
      'llava:7b',
      { vision: true },
    );
    expect(req.messages[0]?.images).toBeUndefined();
    expect(req.messages[0]?.content).toMatch(/url images are not supported/);
  });

  it('carries images inside a tool_result (a screenshot tool) on the tool message', () => {
    const req = anthropicToOllama(
      body({
        messages: [
          { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Screenshot', input: {} }] },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }, { type: 'text', text: 'taken' }] }],
          },
        ],
      }),
      'llava:7b',
      { vision: true },
    );
    expect(req.messages[1]).toEqual({ role: 'tool', content: 'taken', tool_name: 'Screenshot', images: [PNG] });
  });

  it('drops thinking blocks and an assistant turn that held nothing else', () => {
    const req = anthropicToOllama(
      body({
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: [{ type: 'thinking', thinking: 'hmm', signature: 'sig' }, { type: 'text', text: 'b' }] },
          { role: 'user', content: 'c' },
          { role: 'assistant', content: [{ type: 'redacted_thinking', data: 'xx' }] },
        ],
      }),
      'm',
      { vision: false },
    );
    expect(req.messages).toEqual([
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'b' },
      { role: 'user', content: 'c' },
    ]);
  });

  it('maps client tools to Ollama function tools with the whole JSON schema', () => {
    const req = anthropicToOllama(body({ tools: [{ name: 'Read', description: 'Reads a file', input_schema: readSchema }] }), 'm', { vision: false });
    expect(req.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'Read',
          description: 'Reads a file',
          parameters: {
            type: 'object',
            properties: { path: { type: 'string', description: 'File to read' }, limit: { type: 'integer' } },
            required: ['path'],
            additionalProperties: false,
          },
        },
      },
    ]);
    // JSON is what goes on the wire: fields we could not type-check must not appear as nulls.
    expect(JSON.parse(JSON.stringify(req.tools))[0].function.parameters.properties.limit).toEqual({ type: 'integer' });
  });

  it('leaves out server tools (no input_schema) and all tools when tool_choice is none', () => {
    const tools = [
      { name: 'web_search', type: 'web_search_20250305' },
      { name: 'Read', input_schema: readSchema },
    ];
    expect(anthropicToOllama(body({ tools }), 'm', { vision: false }).tools?.map((t) => t.function.name)).toEqual(['Read']);
    expect(anthropicToOllama(body({ tools, tool_choice: { type: 'none' } }), 'm', { vision: false }).tools).toBeUndefined();
    expect(anthropicToOllama(body({ tools: [{ name: 'web_search', type: 'web_search_20250305' }] }), 'm', { vision: false }).tools).toBeUndefined();
  });

  it('maps max_tokens, temperature, top_p, top_k and stop_sequences to options', () => {
    const req = anthropicToOllama(body({ max_tokens: 321, temperature: 0.2, top_p: 0.9, top_k: 40, stop_sequences: ['END'] }), 'm', { vision: false });
    expect(req.options).toEqual({ num_predict: 321, temperature: 0.2, top_p: 0.9, top_k: 40, stop: ['END'] });
  });

  it('asks for the model context window (num_ctx) so Ollama does not cut the prompt to its default', () => {
    expect(anthropicToOllama(body({}), 'm', { vision: false, contextLength: 131_072 }).options?.num_ctx).toBe(131_072);
    expect(anthropicToOllama(body({}), 'm', { vision: false, contextLength: null }).options?.num_ctx).toBeUndefined();
  });

  it('keeps stream as asked, and false when absent', () => {
    expect(anthropicToOllama(body({ stream: true }), 'm', { vision: false }).stream).toBe(true);
    expect(anthropicToOllama(body({}), 'm', { vision: false }).stream).toBe(false);
  });

  it('reads a text document as text and notes a PDF', () => {
    const req = anthropicToOllama(
      body({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Notes body' }, title: 'Notes' },
              { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } },
            ],
          },
        ],
      }),
      'm',
      { vision: false },
    );
    expect(req.messages[0]?.content).toBe('Notes\n\nNotes body\n\n[document omitted: application/pdf documents are not supported by the local model]');
  });

  it('translates a whole tool-using Claude Code turn read from raw JSON, in order', () => {
    const raw: unknown = JSON.parse(
      JSON.stringify({
        model: 'claude-sonnet-4-6',
        max_tokens: 8000,
        stream: true,
        system: [{ type: 'text', text: 'You are Claude Code.' }],
        tools: [{ name: 'Read', description: 'Read a file', input_schema: readSchema }],
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'What does a.ts export?' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'Let me look.' }, { type: 'tool_use', id: 'toolu_01', name: 'Read', input: { path: 'a.ts' } }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: 'export const a = 1;' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'It exports `a`.' }] },
          { role: 'user', content: 'Thanks' },
        ],
      }),
    );
    const req = anthropicToOllama(readMessagesBody(raw as Record<string, unknown>), 'qwen2.5-coder:7b', { vision: false, contextLength: 32_768 });
    expect(req.messages.map((m) => [m.role, m.content, m.tool_name ?? null, m.tool_calls?.map((c) => c.function.name) ?? null])).toEqual([
      ['system', 'You are Claude Code.', null, null],
      ['user', 'What does a.ts export?', null, null],
      ['assistant', 'Let me look.', null, ['Read']],
      ['tool', 'export const a = 1;', 'Read', null],
      ['assistant', 'It exports `a`.', null, null],
      ['user', 'Thanks', null, null],
    ]);
    expect(req).toMatchObject({ model: 'qwen2.5-coder:7b', stream: true, options: { num_predict: 8000, num_ctx: 32_768 } });
    expect(req.tools).toHaveLength(1);
  });
});
