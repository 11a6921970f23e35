import { GatewayError } from './errors';

/** What the pipeline needs to know about a Messages request, read once from its body. */
export interface MessagesRequest {
  model: string;
  maxTokens: number;
  stream: boolean;
  hasTools: boolean;
  messageCount: number;
  /** The longest prompt-cache TTL the request asks for (decides the worst-case input rate). */
  cacheTtl: '5m' | '1h' | null;
  estimatedPromptTokens: number;
  imageCount: number;
  temperature: number | null;
  metadataUserId: string | null;
  body: Record<string, unknown>;
  /** The body as sent upstream, serialized once and reused (dedupe key, upstream request). */
  bodyBytes?: Buffer;
  /** The model those bytes name, when routing changed it (absent: `model`). */
  bodyModel?: string;
  /** What conversation pruning did to this request (agents that opted in). */
  prune?: { savedTokens: number; note: string };
}

/** What one walk over a request's content finds: images (and their bytes) and the longest cache TTL. */
interface ContentScan {
  images: number;
  imageBytes: number;
  cacheTtl: '5m' | '1h' | null;
}

function scanContent(body: Record<string, unknown>): ContentScan {
  const scan: ContentScan = { images: 0, imageBytes: 0, cacheTtl: null };
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    const cc = o.cache_control as { type?: unknown; ttl?: unknown } | undefined;
    if (cc && typeof cc === 'object' && cc.type === 'ephemeral') scan.cacheTtl = cc.ttl === '1h' ? '1h' : (scan.cacheTtl ?? '5m');
    if (o.type === 'image' || o.type === 'document') {
      const src = o.source as { data?: unknown } | undefined;
      if (src && typeof src.data === 'string') {
        scan.images += 1;
        scan.imageBytes += src.data.length;
        return;
      }
    }
    for (const k in o) {
      const x = o[k];
      if (k !== 'cache_control' && typeof x === 'object') walk(x);
    }
  };
  walk(body.tools);
  walk(body.system);
  walk(body.messages);
  if (body.cache_control && typeof body.cache_control === 'object') {
    scan.cacheTtl = (body.cache_control as { ttl?: unknown }).ttl === '1h' ? '1h' : (scan.cacheTtl ?? '5m');
  }
  return scan;
}

/**
 * A deliberately high estimate of the prompt's tokens, used to reserve budget before the provider
 * reports the real count: ~3 bytes of JSON per token (real text runs 3.5–4.5 characters per token and
 * JSON syntax adds bytes that are not tokens), and 1,600 tokens per image (the API's maximum per image).
 * With the request's own bytes at hand (the gateway), their length stands in for re-serialising the
 * prompt: a little higher (it counts the model and options too), so still conservative.
 */
export function estimatePromptTokens(body: Record<string, unknown>, rawBytes?: number, scan: ContentScan = scanContent(body)): { tokens: number; images: number } {
  const jsonBytes = rawBytes ?? Buffer.byteLength(JSON.stringify({ system: body.system, messages: body.messages, tools: body.tools }));
  const textBytes = Math.max(0, jsonBytes - scan.imageBytes);
  return { tokens: Math.ceil(textBytes / 3) + scan.images * 1600 + 16, images: scan.images };
}

export function analyzeMessagesRequest(body: Record<string, unknown>, opts: { requireMaxTokens?: boolean; rawBytes?: number } = {}): MessagesRequest {
  const { model, max_tokens: maxTokens, messages, stream, tools, temperature, metadata } = body;
  if (typeof model !== 'string' || model.trim() === '') {
    throw new GatewayError(400, 'invalid_request_error', 'model: Field required (a model name such as "claude-sonnet-4-6").');
  }
  if (opts.requireMaxTokens !== false) {
    if (maxTokens === undefined) throw new GatewayError(400, 'invalid_request_error', 'max_tokens: Field required.');
    if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
      throw new GatewayError(400, 'invalid_request_error', 'max_tokens: must be a positive integer.');
    }
  }
  if (!Array.isArray(messages)) throw new GatewayError(400, 'invalid_request_error', 'messages: Field required (an array of messages).');
  if (messages.length === 0) throw new GatewayError(400, 'invalid_request_error', 'messages: at least one message is required.');
  for (const [i, m] of messages.entries()) {
    const msg = m as { role?: unknown; content?: unknown } | null;
    // Newer API versions add roles (Claude Code sends mid-conversation "system" turns): the upstream
    // is the judge of which roles exist; we only refuse what cannot be a message at all.
    if (!msg || typeof msg !== 'object' || typeof msg.role !== 'string' || msg.role === '') {
      throw new GatewayError(400, 'invalid_request_error', `messages.${i}.role: must be a role such as "user" or "assistant".`);
    }
    if (typeof msg.content !== 'string' && !Array.isArray(msg.content)) {
      throw new GatewayError(400, 'invalid_request_error', `messages.${i}.content: must be a string or an array of content blocks.`);
    }
  }
  if (stream !== undefined && typeof stream !== 'boolean') throw new GatewayError(400, 'invalid_request_error', 'stream: must be true or false.');
  if (tools !== undefined && !Array.isArray(tools)) throw new GatewayError(400, 'invalid_request_error', 'tools: must be an array.');
  const scan = scanContent(body);
  const est = estimatePromptTokens(body, opts.rawBytes, scan);
  const userId = metadata && typeof metadata === 'object' ? (metadata as { user_id?: unknown }).user_id : undefined;
  return {
    model: model.trim(),
    maxTokens: typeof maxTokens === 'number' ? maxTokens : 0,
    stream: stream === true,
    hasTools: Array.isArray(tools) && tools.length > 0,
    messageCount: messages.length,
    cacheTtl: scan.cacheTtl,
    estimatedPromptTokens: est.tokens,
    imageCount: est.images,
    temperature: typeof temperature === 'number' ? temperature : null,
    metadataUserId: typeof userId === 'string' && userId !== '' ? userId : null,
    body,
  };
}
