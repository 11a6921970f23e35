import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Agent, AgentStore } from '../ledger/agent-store';
import type { LeanHead, LeanHandler } from '../host/lean-http';
import type { ResponseSink } from './sink';
import { GatewayError, sendError } from './errors';
import { readBody, parseJsonObject, DEFAULT_MAX_BODY_BYTES } from './body';
import { analyzeMessagesRequest } from './messages-request';
import { runMessages, type PipelineDeps } from './pipeline';
import { tokenFrom } from './auth';
import { forwardableHeaders, UpstreamError, MissingApiKeyError } from '../providers/anthropic/client';
import { readAll } from '../providers/anthropic/upstream-post';
import { isLocalModelName } from '../router/route';
import { pruneHistory } from './prune-history';

export interface GatewayDeps extends PipelineDeps {
  agents: AgentStore;
  maxBodyBytes?: number;
}

const UNAUTHORIZED =
  'Sluice: unknown or revoked agent token. Create one with `sluice agents add NAME` and use it as ANTHROPIC_API_KEY (or run `sluice env NAME`).';

export interface GatewayHandler {
  /** Serves the Anthropic-compatible API under /v1. False for paths it does not own (the UI, health). */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /**
   * The fast path (see host/lean-http.ts): a handler for a POST /v1/messages by a known agent with
   * a body within the limit, or null, and `handle` answers it (or the error) on Node's server.
   */
  lean(head: LeanHead): LeanHandler | null;
}

export function createGatewayHandler(deps: GatewayDeps): GatewayHandler {
  const limit = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  /** The agent whose token the request carries, or null (none, unknown or revoked). */
  const agentOf = (headers: IncomingHttpHeaders): Agent | null => {
    const token = tokenFrom(headers);
    return token ? deps.agents.authenticate(token) : null;
  };
  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    if (!url.pathname.startsWith('/v1/')) return false;
    try {
      const agent = agentOf(req.headers);
      if (!agent) {
        req.resume();
        sendError(res, 401, 'authentication_error', UNAUTHORIZED);
        return true;
      }
      const path = url.pathname.replace(/\/+$/, '');
      if (path === '/v1/messages') {
        if (req.method !== 'POST') throw new GatewayError(405, 'invalid_request_error', 'Use POST for /v1/messages.', { allow: 'POST' });
        const raw = await readBody(req, limit);
        await messages(deps, agent, req.headers, raw, res, url.search);
        return true;
      }
      if (path === '/v1/messages/count_tokens') {
        if (req.method !== 'POST') throw new GatewayError(405, 'invalid_request_error', 'Use POST for /v1/messages/count_tokens.', { allow: 'POST' });
        const raw = await readBody(req, limit);
        const body = parseJsonObject(req.headers, raw);
        const mr = analyzeMessagesRequest(body, { requireMaxTokens: false, rawBytes: raw.length });
        await countTokens(deps, req, res, mr.model, raw, Math.round(mr.estimatedPromptTokens * 0.75), url.search);
        return true;
      }
      if (path === '/v1/models') {
        if (req.method !== 'GET') throw new GatewayError(405, 'invalid_request_error', 'Use GET for /v1/models.', { allow: 'GET' });
        const models = deps.catalog().models().filter((m) => m.status !== 'retired');
        const data = models.map((m) => ({ type: 'model', id: m.id, display_name: m.displayName, created_at: '2025-01-01T00:00:00Z' }));
        const body = JSON.stringify({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
        return true;
      }
      throw new GatewayError(404, 'not_found_error', `Sluice's gateway has no ${req.method} ${url.pathname}. It serves POST /v1/messages, POST /v1/messages/count_tokens and GET /v1/models.`);
    } catch (e) {
      failed(deps, res, e, url.pathname);
      return true;
    }
  };
  const lean = (head: LeanHead): LeanHandler | null => {
    if (head.method !== 'POST' || (head.path !== '/v1/messages' && head.path !== '/v1/messages/') || head.contentLength > limit) return null;
    const agent = agentOf(head.headers);
    if (!agent) return null;
    return (h, raw, res) => {
      messages(deps, agent, h.headers, raw, res, h.search).catch((e: unknown) => failed(deps, res, e, h.path));
    };
  };
  return { handle, lean };
}

/** attribute → route → admit → send → settle, for a POST /v1/messages whose body has arrived. */
async function messages(deps: GatewayDeps, agent: Agent, headers: IncomingHttpHeaders, raw: Buffer, res: ResponseSink, search: string): Promise<void> {
  const body = parseJsonObject(headers, raw);
  let mr = analyzeMessagesRequest(body, { rawBytes: raw.length });
  const now = deps.clock.now();
  const sessionId = deps.sessions.attribute(agent.id, headers, mr.metadataUserId, now);
  if (agent.pruneConversation) mr = pruneHistory(deps, mr, sessionId);
  // Unchanged so far: forward the caller's own bytes (no re-serialising a 100 kB conversation per turn).
  if (mr.body === body) mr.bodyBytes = raw;
  await runMessages(deps, headers, res, mr, { agent, sessionId, taskId: taskIdOf(headers) }, search);
}

/** A bad request gets its own answer; anything else is an internal error, logged. */
function failed(deps: GatewayDeps, res: ResponseSink, e: unknown, path: string): void {
  if (e instanceof GatewayError) {
    sendError(res, e.status, e.type, e.message, e.headers);
  } else {
    deps.log.log('error', 'gateway failure', { error: (e as Error).message, path });
    sendError(res, 500, 'api_error', `Sluice: internal error: ${(e as Error).message}`);
  }
}

/** Sluice's own agents carry their task id in a header set by the runner. */
function taskIdOf(headers: IncomingHttpHeaders): string | null {
  const v = headers['x-sluice-task-id'];
  return typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v) ? v : null;
}

async function countTokens(deps: GatewayDeps, req: IncomingMessage, res: ServerResponse, model: string, raw: Buffer, estimate: number, search: string): Promise<void> {
  // Counting is free upstream; local models (and a missing key) get our estimate.
  if (isLocalModelName(model) || !deps.anthropic.hasKey()) {
    const body = JSON.stringify({ input_tokens: estimate });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-sluice-estimate': 'true' });
    res.end(body);
    return;
  }
  try {
    const up = await deps.anthropic.post('/v1/messages/count_tokens', raw, { search, headers: forwardableHeaders(req.headers) });
    const buf = await readAll(up.body);
    res.writeHead(up.status, { 'content-type': up.headers['content-type'] ?? 'application/json' });
    res.end(buf);
  } catch (e) {
    if (e instanceof UpstreamError) {
      sendError(res, e.status ?? 502, e.body?.error.type ?? 'api_error', e.message);
    } else if (e instanceof MissingApiKeyError) {
      sendError(res, 500, 'api_error', e.message);
    } else {
      sendError(res, 502, 'api_error', `Sluice could not reach the Anthropic API: ${(e as Error).message}`);
    }
  }
}
