/**
 * The parts of the Anthropic Messages API the Ollama translation reads and writes, as plain
 * structural types: the request arrives as JSON from any Anthropic client, so these describe the
 * wire shape rather than the SDK's classes. `readMessagesBody` narrows an untyped body to them.
 */

/** A JSON object as `JSON.parse` produced it. */
export type JsonObject = Record<string, unknown>;

export interface CacheControl {
  type: string;
  ttl?: string;
}

export interface AnthropicTextBlock {
  type: 'text';
  text: string;
  cache_control?: CacheControl | null;
}

/** `base64` carries `media_type` + `data`; `url` carries `url`; other kinds (e.g. `file`) are passed over. */
export interface AnthropicImageSource {
  type: string;
  media_type?: string;
  data?: string;
  url?: string;
}

export interface AnthropicImageBlock {
  type: 'image';
  source: AnthropicImageSource;
  cache_control?: CacheControl | null;
}

export interface AnthropicDocumentBlock {
  type: 'document';
  source: { type: string; data?: string; media_type?: string };
  title?: string | null;
}

export interface AnthropicToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: JsonObject;
  cache_control?: CacheControl | null;
}

export interface AnthropicToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content?: string | Array<AnthropicTextBlock | AnthropicImageBlock | AnthropicDocumentBlock>;
  is_error?: boolean;
  cache_control?: CacheControl | null;
}

export interface AnthropicThinkingBlock {
  type: 'thinking';
  thinking: string;
  signature?: string;
}

export interface AnthropicRedactedThinkingBlock {
  type: 'redacted_thinking';
  data: string;
}

export type AnthropicRequestBlock =
  | AnthropicTextBlock
  | AnthropicImageBlock
  | AnthropicDocumentBlock
  | AnthropicToolUseBlock
  | AnthropicToolResultBlock
  | AnthropicThinkingBlock
  | AnthropicRedactedThinkingBlock;

export interface AnthropicMessageParam {
  /** 'system' = a mid-conversation system turn (beta mid-conversation-tool-changes, sent by Claude Code). */
  role: 'user' | 'assistant' | 'system';
  content: string | AnthropicRequestBlock[];
}

/** A client tool (`input_schema`) or a server tool (`type` such as "web_search_20250305", no schema). */
export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema?: JsonObject;
  type?: string;
}

export type AnthropicToolChoice = { type: 'auto' | 'any' | 'none' } | { type: 'tool'; name: string };

export interface AnthropicMessagesBody {
  model: string;
  max_tokens?: number;
  messages: AnthropicMessageParam[];
  system?: string | AnthropicTextBlock[];
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stop_sequences?: string[];
  stream?: boolean;
  thinking?: { type: string; budget_tokens?: number };
  metadata?: { user_id?: string | null };
}

// ── what the translation answers with ───────────────────────────────────────────────────────────

export interface AnthropicResponseTextBlock {
  type: 'text';
  text: string;
}

export interface AnthropicResponseToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: JsonObject;
}

export type AnthropicResponseBlock = AnthropicResponseTextBlock | AnthropicResponseToolUseBlock;

export type AnthropicStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use';

export interface AnthropicWireUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export interface AnthropicMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicResponseBlock[];
  stop_reason: AnthropicStopReason | null;
  stop_sequence: string | null;
  usage: AnthropicWireUsage;
}
