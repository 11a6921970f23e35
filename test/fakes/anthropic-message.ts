// Turns a scripted reply into the Message object the API returns, and into the SSE event
// sequence the streaming docs describe (message_start, content_block_start, ping,
// content_block_delta…, content_block_stop, message_delta, message_stop).
import { fakeId } from './http';
import { tokensForChars } from './anthropic-prompt';

export type AnthropicContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id?: string; name: string; input: Record<string, unknown> }
  | { type: 'thinking'; thinking: string; signature?: string };

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence';

export interface FakeUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

export interface FakeMessageReply {
  type: 'message';
  /** Blocks to answer with (text, tool_use, thinking). Wins over `text`. */
  content?: AnthropicContentBlock[];
  /** Shorthand for one text block. */
  text?: string;
  /** Default: 'tool_use' when a tool_use block is present, else 'end_turn' (or 'max_tokens' on truncation). */
  stopReason?: StopReason;
  /** Default: the requested model. */
  model?: string;
  /** Fields given here replace the computed ones. */
  usage?: Partial<FakeUsage>;
  /** Wait this long before sending headers. */
  delayMs?: number;
  /** Streaming: wait this long between SSE events. */
  chunkDelayMs?: number;
  /** Streaming: destroy the socket after this many events (pings count). */
  disconnectAfterEvents?: number;
  /** Streaming: after this many events send `event: error` with this error, then end the response. */
  errorAfterEvents?: { after: number; type: string; message: string };
}

export interface FakeErrorReply {
  type: 'error';
  status: number;
  /** Default: the docs' type for the status (529 → overloaded_error, …). */
  errorType?: string;
  message?: string;
  /** Seconds, sent as `retry-after`. */
  retryAfter?: number;
}

export type FakeReply = FakeMessageReply | FakeErrorReply;

type WireBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'thinking'; thinking: string; signature: string };

export interface WireUsage extends FakeUsage {
  service_tier: 'standard' | 'batch';
}

export interface WireMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: WireBlock[];
  stop_reason: StopReason;
  stop_sequence: null;
  usage: WireUsage;
}

export const DEFAULT_ANSWER = 'This is the default answer of the fake Anthropic API.';

function blockChars(b: WireBlock): number {
  switch (b.type) {
    case 'text': return b.text.length;
    case 'thinking': return b.thinking.length;
    case 'tool_use': return b.name.length + JSON.stringify(b.input).length;
  }
}

function toWire(b: AnthropicContentBlock): WireBlock {
  switch (b.type) {
    case 'text': return { type: 'text', text: b.text };
    case 'thinking': return { type: 'thinking', thinking: b.thinking, signature: b.signature ?? fakeId('sig_', 40) };
    case 'tool_use': return { type: 'tool_use', id: b.id ?? fakeId('toolu_'), name: b.name, input: b.input };
  }
}

export interface PromptUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

/**
 * Builds the Message. Output tokens are ceil(chars/4) over the answer (min 1). A text-only answer
 * longer than max_tokens is cut to max_tokens × 4 chars with stop_reason max_tokens, as the API would.
 */
export function buildMessage(
  reply: FakeMessageReply,
  requestModel: string,
  maxTokens: number,
  prompt: PromptUsage,
  serviceTier: 'standard' | 'batch' = 'standard',
): WireMessage {
  let content = (reply.content ?? [{ type: 'text', text: reply.text ?? DEFAULT_ANSWER }]).map(toWire);
  let stop: StopReason = reply.stopReason ?? (content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
  const chars = () => content.reduce((n, b) => n + blockChars(b), 0);
  if (!reply.stopReason && content.every((b) => b.type === 'text') && tokensForChars(chars()) > maxTokens) {
    let budget = maxTokens * 4;
    content = content.flatMap((b) => {
      if (b.type !== 'text' || budget <= 0) return [];
      const text = b.text.slice(0, budget);
      budget -= text.length;
      return [{ type: 'text' as const, text }];
    });
    stop = 'max_tokens';
  }
  const usage: WireUsage = {
    ...prompt,
    cache_creation: { ...prompt.cache_creation },
    output_tokens: Math.max(1, tokensForChars(chars())),
    service_tier: serviceTier,
    ...reply.usage,
  };
  return {
    id: fakeId('msg_'),
    type: 'message',
    role: 'assistant',
    model: reply.model ?? requestModel,
    content,
    stop_reason: stop,
    stop_sequence: null,
    usage,
  };
}

export interface SseEvent {
  event: string;
  data: unknown;
}

export function formatSse(e: SseEvent): string {
  return `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}

function ev(type: string, rest: Record<string, unknown> = {}): SseEvent {
  return { event: type, data: { type, ...rest } };
}

/** A few words per delta, as the API sends them. */
function textChunks(text: string): string[] {
  const words = text.match(/\S+\s*|\s+/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i < words.length; i += 3) out.push(words.slice(i, i + 3).join(''));
  return out.length > 0 ? out : [''];
}

function jsonChunks(json: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < json.length; i += 12) out.push(json.slice(i, i + 12));
  return out;
}

export function streamEvents(msg: WireMessage): SseEvent[] {
  const { usage } = msg;
  const events: SseEvent[] = [
    ev('message_start', {
      message: { ...msg, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
    }),
  ];
  msg.content.forEach((block, index) => {
    switch (block.type) {
      case 'text':
        events.push(ev('content_block_start', { index, content_block: { type: 'text', text: '' } }));
        break;
      case 'tool_use':
        events.push(ev('content_block_start', { index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } }));
        break;
      case 'thinking':
        events.push(ev('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } }));
        break;
    }
    if (index === 0) events.push(ev('ping'));
    const delta = (d: Record<string, unknown>) => events.push(ev('content_block_delta', { index, delta: d }));
    switch (block.type) {
      case 'text':
        for (const text of textChunks(block.text)) delta({ type: 'text_delta', text });
        break;
      case 'tool_use':
        // The API opens every tool input with an empty partial_json.
        delta({ type: 'input_json_delta', partial_json: '' });
        for (const partial_json of jsonChunks(JSON.stringify(block.input))) delta({ type: 'input_json_delta', partial_json });
        break;
      case 'thinking':
        for (const thinking of textChunks(block.thinking)) delta({ type: 'thinking_delta', thinking });
        delta({ type: 'signature_delta', signature: block.signature });
        break;
    }
    events.push(ev('content_block_stop', { index }));
  });
  if (msg.content.length === 0) events.push(ev('ping'));
  events.push(
    ev('message_delta', {
      delta: { stop_reason: msg.stop_reason, stop_sequence: null },
      usage: {
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        output_tokens: usage.output_tokens,
      },
    }),
    ev('message_stop'),
  );
  return events;
}
