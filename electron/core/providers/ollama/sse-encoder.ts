/**
 * Turns Ollama's NDJSON chat chunks into the Anthropic SSE stream an Anthropic client expects:
 * message_start + ping, then content blocks (text as text_delta; each tool call as its own tool_use
 * block whose input arrives as input_json_delta), then message_delta with the stop reason and usage,
 * then message_stop. Every method returns the SSE text to write; the encoder does no I/O.
 */
import type { ChatResponse } from 'ollama';
import type { Usage } from '../../../../shared/usage';
import { toolUseId } from './tool-ids';
import { ollamaUsage, stopReasonOf, toolArguments } from './response';

export interface AnthropicSseContext {
  /** The message id (`msg_…`); tool_use ids derive from it, as in `ollamaToAnthropic`. */
  id: string;
  /** The model name the caller sees. */
  model: string;
  /** Input tokens announced in message_start, before Ollama has counted them. */
  inputTokensEstimate: number;
}

/**
 * Tool input is sent in slices so clients exercise their partial-JSON path as with the real API;
 * 96 characters keeps the event count low for large inputs (a file written by an agent).
 */
const JSON_SLICE = 96;

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Cuts a string into slices, never between the two halves of a surrogate pair. */
export function slices(s: string, size: number): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    let end = Math.min(i + size, s.length);
    const last = s.charCodeAt(end - 1);
    if (end < s.length && last >= 0xd800 && last <= 0xdbff) end += 1;
    out.push(s.slice(i, end));
    i = end;
  }
  return out;
}

export class AnthropicSseEncoder {
  private nextIndex = 0;
  private openText: number | null = null;
  private toolCalls = 0;
  /** Ollama sends about one token per chunk: the output count to use if the stream never finishes. */
  private outputChunks = 0;
  private started = false;
  private ended = false;
  private final: Usage | null = null;

  constructor(private readonly ctx: AnthropicSseContext) {}

  start(): string {
    if (this.started) return '';
    this.started = true;
    return (
      sse('message_start', {
        type: 'message_start',
        message: {
          id: this.ctx.id,
          type: 'message',
          role: 'assistant',
          model: this.ctx.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: this.ctx.inputTokensEstimate, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        },
      }) + sse('ping', { type: 'ping' })
    );
  }

  /** One chunk of the stream. A chunk with `done: true` finishes the message (same as `finish`). */
  push(chunk: ChatResponse): string {
    if (this.ended) return '';
    if (chunk.done) return this.finish(chunk);
    return this.start() + this.content(chunk);
  }

  /** The last chunk (`done: true`, with the counts): closes the open block and the message. */
  finish(final: ChatResponse): string {
    if (this.ended) return '';
    let out = this.start() + this.content(final);
    out += this.closeText();
    this.ended = true;
    const counted = ollamaUsage(final);
    this.final = {
      ...counted,
      inputTokens: counted.inputTokens || this.ctx.inputTokensEstimate,
      outputTokens: counted.outputTokens || this.outputChunks,
    };
    out += sse('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReasonOf(final.done_reason, this.toolCalls > 0), stop_sequence: null },
      usage: {
        input_tokens: this.final.inputTokens,
        output_tokens: this.final.outputTokens,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    });
    return out + sse('message_stop', { type: 'message_stop' });
  }

  /** An `error` event, as the API sends mid-stream (e.g. `overloaded_error`, `api_error`). Nothing follows it. */
  error(type: string, message: string): string {
    if (this.ended) return '';
    this.ended = true;
    return sse('error', { type: 'error', error: { type, message } });
  }

  /** Usage so far: Ollama's counts once finished, else the estimate and the chunks seen. */
  usage(): Usage {
    if (this.final) return { ...this.final };
    return { inputTokens: this.ctx.inputTokensEstimate, outputTokens: this.outputChunks, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0 };
  }

  private content(chunk: ChatResponse): string {
    const msg = chunk.message;
    if (!msg) return '';
    let out = '';
    const text = msg.content ?? '';
    const calls = msg.tool_calls ?? [];
    if (text !== '' || calls.length > 0 || (msg.thinking ?? '') !== '') this.outputChunks += 1;
    if (text !== '') {
      if (this.openText === null) {
        this.openText = this.nextIndex++;
        out += sse('content_block_start', { type: 'content_block_start', index: this.openText, content_block: { type: 'text', text: '' } });
      }
      out += sse('content_block_delta', { type: 'content_block_delta', index: this.openText, delta: { type: 'text_delta', text } });
    }
    for (const call of calls) {
      out += this.closeText();
      const index = this.nextIndex++;
      const id = toolUseId(this.ctx.id, this.toolCalls++);
      out += sse('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id, name: call.function.name, input: {} },
      });
      for (const part of slices(JSON.stringify(toolArguments(call.function.arguments)), JSON_SLICE)) {
        out += sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: part } });
      }
      out += sse('content_block_stop', { type: 'content_block_stop', index });
    }
    return out;
  }

  private closeText(): string {
    if (this.openText === null) return '';
    const index = this.openText;
    this.openText = null;
    return sse('content_block_stop', { type: 'content_block_stop', index });
  }
}
