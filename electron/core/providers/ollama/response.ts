/**
 * An Ollama chat answer as an Anthropic Message, and the pieces the streaming encoder shares with it
 * (stop reason, tool arguments, usage).
 */
import type { ChatResponse } from 'ollama';
import type { Usage } from '../../../../shared/usage';
import type { AnthropicMessage, AnthropicResponseBlock, AnthropicStopReason, JsonObject } from './anthropic-types';
import { toolUseId } from './tool-ids';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Tool arguments as an object: Ollama sends an object, but a model may emit a JSON string instead. */
export function toolArguments(args: unknown): JsonObject {
  if (isRecord(args)) return args;
  if (typeof args === 'string') {
    try {
      const parsed: unknown = JSON.parse(args);
      if (isRecord(parsed)) return parsed;
    } catch {
      // Not JSON: keep what the model said, so the caller can see it.
    }
    return args.trim() === '' ? {} : { raw: args };
  }
  return {};
}

export function stopReasonOf(doneReason: string | undefined, sawToolCalls: boolean): AnthropicStopReason {
  if (sawToolCalls) return 'tool_use';
  if (doneReason === 'length') return 'max_tokens';
  return 'end_turn';
}

function count(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

/** Ollama's counts as Sluice usage: local models read no cache. */
export function ollamaUsage(resp: Pick<ChatResponse, 'prompt_eval_count' | 'eval_count'>): Usage {
  return {
    inputTokens: count(resp.prompt_eval_count),
    outputTokens: count(resp.eval_count),
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    cacheReadTokens: 0,
  };
}

export function ollamaToAnthropic(resp: ChatResponse, ctx: { id: string; model: string }): AnthropicMessage {
  const content: AnthropicResponseBlock[] = [];
  const text = resp.message?.content ?? '';
  if (text !== '') content.push({ type: 'text', text });
  const calls = resp.message?.tool_calls ?? [];
  calls.forEach((c, i) => {
    content.push({ type: 'tool_use', id: toolUseId(ctx.id, i), name: c.function.name, input: toolArguments(c.function.arguments) });
  });
  const usage = ollamaUsage(resp);
  return {
    id: ctx.id,
    type: 'message',
    role: 'assistant',
    model: ctx.model,
    content,
    stop_reason: stopReasonOf(resp.done_reason, calls.length > 0),
    stop_sequence: null,
    usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}
