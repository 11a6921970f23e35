// Request-body checks the real Messages API makes before doing any work (400 invalid_request_error).
// Messages are written in the API's "field: problem" style.
import { isRecord } from './http';

export interface MessagesBody extends Record<string, unknown> {
  model: string;
  messages: unknown[];
}

export type Checked = { ok: true; body: MessagesBody; maxTokens: number } | { ok: false; message: string };

/** The beta under which the API accepts mid-conversation `system` turns (Claude Code 2.1.3xx sends them). */
export const MID_CONVERSATION_BETA = 'mid-conversation-tool-changes-2026-07-01';

export function checkMessagesBody(body: unknown, opts: { requireMaxTokens: boolean; betas?: readonly string[] }): Checked {
  if (!isRecord(body)) return { ok: false, message: 'Request body must be a JSON object.' };
  if (body.model === undefined) return { ok: false, message: 'model: Field required' };
  if (typeof body.model !== 'string' || body.model.length === 0) return { ok: false, message: 'model: Input should be a valid string' };
  let maxTokens = Number.MAX_SAFE_INTEGER;
  if (opts.requireMaxTokens) {
    if (body.max_tokens === undefined) return { ok: false, message: 'max_tokens: Field required' };
    if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens)) {
      return { ok: false, message: 'max_tokens: Input should be a valid integer' };
    }
    if (body.max_tokens < 1) return { ok: false, message: 'max_tokens: Input should be greater than or equal to 1' };
    maxTokens = body.max_tokens;
  }
  if (body.messages === undefined) return { ok: false, message: 'messages: Field required' };
  if (!Array.isArray(body.messages)) return { ok: false, message: 'messages: Input should be a valid list' };
  if (body.messages.length === 0) return { ok: false, message: 'messages: at least one message is required' };
  for (const [i, m] of body.messages.entries()) {
    if (!isRecord(m)) return { ok: false, message: `messages.${i}: Input should be a valid dictionary` };
    const systemAllowed = (opts.betas ?? []).includes(MID_CONVERSATION_BETA) && i > 0;
    if (m.role !== 'user' && m.role !== 'assistant' && !(systemAllowed && m.role === 'system')) {
      return { ok: false, message: `messages.${i}.role: Input should be 'user' or 'assistant'` };
    }
    if (m.content === undefined) return { ok: false, message: `messages.${i}.content: Field required` };
    if (typeof m.content !== 'string' && !Array.isArray(m.content)) {
      return { ok: false, message: `messages.${i}.content: Input should be a valid string or list` };
    }
  }
  if (body.stream !== undefined && typeof body.stream !== 'boolean') return { ok: false, message: 'stream: Input should be a valid boolean' };
  if (body.system !== undefined && typeof body.system !== 'string' && !Array.isArray(body.system)) {
    return { ok: false, message: 'system: Input should be a valid string or list' };
  }
  if (body.tools !== undefined && !Array.isArray(body.tools)) return { ok: false, message: 'tools: Input should be a valid list' };
  return { ok: true, body: body as MessagesBody, maxTokens };
}
