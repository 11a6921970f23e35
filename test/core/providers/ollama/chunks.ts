// Builders for Ollama chat answers in tests, shaped as /api/chat sends them.
import type { ChatResponse, ToolCall } from 'ollama';

export function chunk(content: string, extra: Partial<ChatResponse['message']> = {}): ChatResponse {
  return {
    model: 'llama3.2:3b',
    created_at: new Date('2026-11-28T10:00:00Z'),
    message: { role: 'assistant', content, ...extra },
    done: false,
    done_reason: '',
    total_duration: 0,
    load_duration: 0,
    prompt_eval_count: 0,
    prompt_eval_duration: 0,
    eval_count: 0,
    eval_duration: 0,
  };
}

export function toolChunk(...calls: { name: string; arguments: Record<string, unknown> }[]): ChatResponse {
  const tool_calls: ToolCall[] = calls.map((c) => ({ function: { name: c.name, arguments: c.arguments } }));
  return chunk('', { tool_calls });
}

export function done(counts: { prompt: number; output: number; reason?: string }, message: Partial<ChatResponse['message']> = {}): ChatResponse {
  return {
    ...chunk(message.content ?? '', message),
    done: true,
    done_reason: counts.reason ?? 'stop',
    prompt_eval_count: counts.prompt,
    eval_count: counts.output,
  };
}

/** Parses SSE text into its events (event name + parsed data), as a client would read them. */
export function parseSse(text: string): { event: string; data: Record<string, unknown> }[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const lines = frame.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? '';
      const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}
