/**
 * Narrows an untyped Messages request body (parsed JSON from any client) to `AnthropicMessagesBody`,
 * so the translation never meets a block it cannot read. A malformed body throws
 * `InvalidMessagesBody` naming the field, in the words Anthropic's own 400s use.
 */
import type {
  AnthropicDocumentBlock,
  AnthropicImageBlock,
  AnthropicMessageParam,
  AnthropicMessagesBody,
  AnthropicRequestBlock,
  AnthropicTextBlock,
  AnthropicTool,
  AnthropicToolChoice,
  AnthropicToolResultBlock,
  JsonObject,
} from './anthropic-types';

export class InvalidMessagesBody extends Error {
  override name = 'InvalidMessagesBody';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(path: string, what: string): never {
  throw new InvalidMessagesBody(`${path}: ${what}`);
}

function optionalNumber(body: Record<string, unknown>, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(key, 'must be a number');
  return v;
}

function readText(v: Record<string, unknown>, path: string): AnthropicTextBlock {
  if (typeof v.text !== 'string') fail(`${path}.text`, 'Field required (a string)');
  return { type: 'text', text: v.text };
}

function readImage(v: Record<string, unknown>, path: string): AnthropicImageBlock {
  const src = v.source;
  if (!isRecord(src) || typeof src.type !== 'string') fail(`${path}.source`, 'Field required (an object with a type)');
  return {
    type: 'image',
    source: {
      type: src.type,
      ...(typeof src.media_type === 'string' ? { media_type: src.media_type } : {}),
      ...(typeof src.data === 'string' ? { data: src.data } : {}),
      ...(typeof src.url === 'string' ? { url: src.url } : {}),
    },
  };
}

function readDocument(v: Record<string, unknown>, path: string): AnthropicDocumentBlock {
  const src = v.source;
  if (!isRecord(src) || typeof src.type !== 'string') fail(`${path}.source`, 'Field required (an object with a type)');
  return {
    type: 'document',
    source: {
      type: src.type,
      ...(typeof src.data === 'string' ? { data: src.data } : {}),
      ...(typeof src.media_type === 'string' ? { media_type: src.media_type } : {}),
    },
    ...(typeof v.title === 'string' ? { title: v.title } : {}),
  };
}

function readToolResult(v: Record<string, unknown>, path: string): AnthropicToolResultBlock {
  if (typeof v.tool_use_id !== 'string') fail(`${path}.tool_use_id`, 'Field required (a string)');
  const block: AnthropicToolResultBlock = { type: 'tool_result', tool_use_id: v.tool_use_id };
  if (v.is_error !== undefined && v.is_error !== null) {
    if (typeof v.is_error !== 'boolean') fail(`${path}.is_error`, 'must be true or false');
    block.is_error = v.is_error;
  }
  if (typeof v.content === 'string') block.content = v.content;
  else if (Array.isArray(v.content)) {
    block.content = v.content.map((c: unknown, i) => {
      const p = `${path}.content.${i}`;
      if (!isRecord(c)) fail(p, 'must be a content block');
      if (c.type === 'text') return readText(c, p);
      if (c.type === 'image') return readImage(c, p);
      if (c.type === 'document') return readDocument(c, p);
      return { type: 'text', text: omitted(c.type) };
    });
  } else if (v.content !== undefined && v.content !== null) fail(`${path}.content`, 'must be a string or an array of content blocks');
  return block;
}

/** Block kinds a local model has no use for (server tool results, citations sources…) stay visible as a note. */
function omitted(type: unknown): string {
  return `[${typeof type === 'string' ? type : 'unknown'} content omitted: not supported by the local model]`;
}

function readBlock(v: unknown, path: string): AnthropicRequestBlock {
  if (!isRecord(v) || typeof v.type !== 'string') fail(path, 'must be a content block with a type');
  switch (v.type) {
    case 'text':
      return readText(v, path);
    case 'image':
      return readImage(v, path);
    case 'document':
      return readDocument(v, path);
    case 'tool_use': {
      if (typeof v.id !== 'string' || typeof v.name !== 'string') fail(path, 'a tool_use block needs "id" and "name"');
      const input: JsonObject = isRecord(v.input) ? v.input : {};
      return { type: 'tool_use', id: v.id, name: v.name, input };
    }
    case 'tool_result':
      return readToolResult(v, path);
    case 'thinking':
      return { type: 'thinking', thinking: typeof v.thinking === 'string' ? v.thinking : '' };
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: typeof v.data === 'string' ? v.data : '' };
    default:
      return { type: 'text', text: omitted(v.type) };
  }
}

function readMessage(v: unknown, i: number): AnthropicMessageParam {
  const path = `messages.${i}`;
  if (!isRecord(v)) fail(path, 'must be an object');
  if (v.role !== 'user' && v.role !== 'assistant' && v.role !== 'system') fail(`${path}.role`, 'must be "user", "assistant" or "system"');
  if (typeof v.content === 'string') return { role: v.role, content: v.content };
  if (!Array.isArray(v.content)) fail(`${path}.content`, 'must be a string or an array of content blocks');
  return { role: v.role, content: v.content.map((b: unknown, j) => readBlock(b, `${path}.content.${j}`)) };
}

function readTool(v: unknown, i: number): AnthropicTool {
  const path = `tools.${i}`;
  if (!isRecord(v) || typeof v.name !== 'string') fail(`${path}.name`, 'Field required (a string)');
  const tool: AnthropicTool = { name: v.name };
  if (typeof v.description === 'string') tool.description = v.description;
  if (isRecord(v.input_schema)) tool.input_schema = v.input_schema;
  if (typeof v.type === 'string') tool.type = v.type;
  return tool;
}

function readToolChoice(v: unknown): AnthropicToolChoice | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) fail('tool_choice', 'must be an object');
  if (v.type === 'tool') {
    if (typeof v.name !== 'string') fail('tool_choice.name', 'Field required (a string)');
    return { type: 'tool', name: v.name };
  }
  if (v.type === 'auto' || v.type === 'any' || v.type === 'none') return { type: v.type };
  fail('tool_choice.type', 'must be "auto", "any", "tool" or "none"');
}

export function readMessagesBody(raw: Record<string, unknown>): AnthropicMessagesBody {
  if (typeof raw.model !== 'string') fail('model', 'Field required (a string)');
  if (!Array.isArray(raw.messages)) fail('messages', 'Field required (an array of messages)');
  const body: AnthropicMessagesBody = { model: raw.model, messages: raw.messages.map(readMessage) };

  if (typeof raw.system === 'string') body.system = raw.system;
  else if (Array.isArray(raw.system)) {
    body.system = raw.system.map((b: unknown, i) => {
      if (!isRecord(b) || b.type !== 'text') fail(`system.${i}`, 'must be a text block');
      return readText(b, `system.${i}`);
    });
  } else if (raw.system !== undefined && raw.system !== null) fail('system', 'must be a string or an array of text blocks');

  if (Array.isArray(raw.tools)) body.tools = raw.tools.map(readTool);
  else if (raw.tools !== undefined && raw.tools !== null) fail('tools', 'must be an array');
  const choice = readToolChoice(raw.tool_choice);
  if (choice) body.tool_choice = choice;

  const maxTokens = optionalNumber(raw, 'max_tokens');
  if (maxTokens !== undefined) body.max_tokens = maxTokens;
  const temperature = optionalNumber(raw, 'temperature');
  if (temperature !== undefined) body.temperature = temperature;
  const topP = optionalNumber(raw, 'top_p');
  if (topP !== undefined) body.top_p = topP;
  const topK = optionalNumber(raw, 'top_k');
  if (topK !== undefined) body.top_k = topK;
  if (Array.isArray(raw.stop_sequences)) {
    body.stop_sequences = raw.stop_sequences.map((s: unknown, i) => (typeof s === 'string' ? s : fail(`stop_sequences.${i}`, 'must be a string')));
  }
  if (typeof raw.stream === 'boolean') body.stream = raw.stream;
  if (isRecord(raw.thinking) && typeof raw.thinking.type === 'string') {
    body.thinking = { type: raw.thinking.type, ...(typeof raw.thinking.budget_tokens === 'number' ? { budget_tokens: raw.thinking.budget_tokens } : {}) };
  }
  return body;
}
