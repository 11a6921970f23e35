/**
 * An Anthropic Messages request as an Ollama /api/chat request. Pure: the model's abilities
 * (vision, context window) come in as options, read from `show` by the caller.
 */
import type { ChatRequest, Message, Options, Tool, ToolCall } from 'ollama';
import type { AnthropicMessagesBody, AnthropicRequestBlock, AnthropicTool, AnthropicToolResultBlock, JsonObject } from './anthropic-types';

/** `messages` is always set: Ollama treats a request without it as "load the model". */
export type OllamaChatRequest = ChatRequest & { messages: Message[] };

export interface ToOllamaOptions {
  /** The model reads images (`vision` in its capabilities); otherwise images become a note. */
  vision: boolean;
  /** The model's context window; sent as `num_ctx` so Ollama does not cut the prompt to its small default. */
  contextLength?: number | null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function imageNote(model: string): string {
  return `[image omitted: the local model ${model} cannot read images]`;
}

function systemText(system: AnthropicMessagesBody['system']): string {
  if (system === undefined) return '';
  if (typeof system === 'string') return system;
  return system.map((b) => b.text).join('\n\n');
}

interface Pending {
  text: string[];
  images: string[];
}

/** Text and images of a block list; images only when the model can see them. */
function collect(blocks: AnthropicRequestBlock[], into: Pending, vision: boolean, model: string): void {
  for (const b of blocks) {
    if (b.type === 'text') into.text.push(b.text);
    else if (b.type === 'image') {
      if (vision && b.source.type === 'base64' && typeof b.source.data === 'string') into.images.push(b.source.data);
      else if (vision) into.text.push(`[image omitted: ${b.source.type} images are not supported for local models, only base64]`);
      else into.text.push(imageNote(model));
    } else if (b.type === 'document') {
      if (b.source.type === 'text' && typeof b.source.data === 'string') into.text.push(b.title ? `${b.title}\n\n${b.source.data}` : b.source.data);
      else into.text.push(`[document omitted: ${b.source.media_type ?? b.source.type} documents are not supported by the local model]`);
    }
  }
}

function toolResultMessage(b: AnthropicToolResultBlock, toolNames: Map<string, string>, vision: boolean, model: string): Message {
  const parts: Pending = { text: [], images: [] };
  if (typeof b.content === 'string') parts.text.push(b.content);
  else if (b.content) collect(b.content, parts, vision, model);
  const text = parts.text.join('\n');
  const msg: Message = { role: 'tool', content: b.is_error ? `Error: ${text}` : text };
  const name = toolNames.get(b.tool_use_id);
  if (name !== undefined) msg.tool_name = name;
  if (parts.images.length > 0) msg.images = parts.images;
  return msg;
}

/** A user turn: tool results become `tool` messages in their order; text and images around them stay user messages. */
function userMessages(blocks: AnthropicRequestBlock[], toolNames: Map<string, string>, vision: boolean, model: string): Message[] {
  const out: Message[] = [];
  let pending: Pending = { text: [], images: [] };
  const flush = (): void => {
    if (pending.text.length === 0 && pending.images.length === 0) return;
    const msg: Message = { role: 'user', content: pending.text.join('\n\n') };
    if (pending.images.length > 0) msg.images = pending.images;
    out.push(msg);
    pending = { text: [], images: [] };
  };
  for (const b of blocks) {
    if (b.type === 'tool_result') {
      flush();
      out.push(toolResultMessage(b, toolNames, vision, model));
    } else collect([b], pending, vision, model);
  }
  flush();
  return out;
}

/** An assistant turn: its text, and its tool_use blocks as `tool_calls`. Thinking is dropped (Ollama cannot verify signatures). */
function assistantMessage(blocks: AnthropicRequestBlock[], toolNames: Map<string, string>): Message | null {
  const text: string[] = [];
  const calls: ToolCall[] = [];
  for (const b of blocks) {
    if (b.type === 'text') text.push(b.text);
    else if (b.type === 'tool_use') {
      toolNames.set(b.id, b.name);
      calls.push({ function: { name: b.name, arguments: b.input } });
    }
  }
  if (text.length === 0 && calls.length === 0) return null;
  const msg: Message = { role: 'assistant', content: text.join('\n\n') };
  if (calls.length > 0) msg.tool_calls = calls;
  return msg;
}

type ToolParameters = NonNullable<Tool['function']['parameters']>;
type ToolProperty = NonNullable<ToolParameters['properties']>[string];

function toProperty(v: unknown): ToolProperty {
  const src = isRecord(v) ? v : {};
  const t = src.type;
  return {
    ...src,
    type: typeof t === 'string' || (Array.isArray(t) && t.every((x) => typeof x === 'string')) ? t : undefined,
    description: typeof src.description === 'string' ? src.description : undefined,
    enum: Array.isArray(src.enum) ? src.enum : undefined,
  };
}

/** JSON Schema as Anthropic takes it, kept whole; only the fields Ollama types are checked. */
function toParameters(schema: JsonObject): ToolParameters {
  const properties: Record<string, ToolProperty> = {};
  if (isRecord(schema.properties)) for (const [k, v] of Object.entries(schema.properties)) properties[k] = toProperty(v);
  return {
    ...schema,
    type: typeof schema.type === 'string' ? schema.type : 'object',
    required: Array.isArray(schema.required) ? schema.required.filter((x): x is string => typeof x === 'string') : undefined,
    properties,
  };
}

/** Client tools only: server tools (web search, code execution…) have no schema a local model could call. */
function toOllamaTools(tools: AnthropicTool[]): Tool[] {
  return tools
    .filter((t): t is AnthropicTool & { input_schema: JsonObject } => t.input_schema !== undefined)
    .map((t) => ({
      type: 'function',
      function: { name: t.name, ...(t.description !== undefined ? { description: t.description } : {}), parameters: toParameters(t.input_schema) },
    }));
}

export function anthropicToOllama(body: AnthropicMessagesBody, model: string, opts: ToOllamaOptions): OllamaChatRequest {
  const messages: Message[] = [];
  const system = systemText(body.system);
  if (system !== '') messages.push({ role: 'system', content: system });

  const toolNames = new Map<string, string>();
  for (const m of body.messages) {
    if (typeof m.content === 'string') messages.push({ role: m.role, content: m.content });
    else if (m.role === 'system') {
      const text = m.content.map((b) => (b.type === 'text' ? b.text : '')).filter(Boolean).join('\n\n');
      if (text) messages.push({ role: 'system', content: text });
    } else if (m.role === 'assistant') {
      const msg = assistantMessage(m.content, toolNames);
      if (msg) messages.push(msg);
    } else messages.push(...userMessages(m.content, toolNames, opts.vision, model));
  }

  const options: Partial<Options> = {};
  if (body.max_tokens !== undefined) options.num_predict = body.max_tokens;
  if (body.temperature !== undefined) options.temperature = body.temperature;
  if (body.top_p !== undefined) options.top_p = body.top_p;
  if (body.top_k !== undefined) options.top_k = body.top_k;
  if (body.stop_sequences !== undefined && body.stop_sequences.length > 0) options.stop = body.stop_sequences;
  if (opts.contextLength) options.num_ctx = opts.contextLength;

  const req: OllamaChatRequest = { model, messages, stream: body.stream === true, options };
  const tools = body.tools && body.tool_choice?.type !== 'none' ? toOllamaTools(body.tools) : [];
  if (tools.length > 0) req.tools = tools;
  return req;
}
