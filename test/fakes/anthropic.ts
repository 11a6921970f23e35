// A protocol-faithful fake of the Anthropic HTTP API for Sluice's tests (never imported by product
// code). It speaks /v1/messages (JSON and SSE), /v1/messages/count_tokens, /v1/models and the
// Message Batches endpoints, with the docs' error bodies and a prompt-cache simulation.
// Token rule: see anthropic-prompt.ts. Cache rule: see anthropic-cache.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BatchStore, type BatchItemResult } from './anthropic-batches';
import { PromptCache } from './anthropic-cache';
import { errorBody, sendError } from './anthropic-errors';
import {
  buildMessage,
  formatSse,
  streamEvents,
  type FakeMessageReply,
  type FakeReply,
  type PromptUsage,
  type WireMessage,
} from './anthropic-message';
import { minCacheableTokens, promptTokens, promptUnits, PromptError } from './anthropic-prompt';
import { checkMessagesBody, type MessagesBody } from './anthropic-validate';
import { BodyTooLarge, fakeId, isRecord, listen, readBody, record, sendJson, sleep, type RecordedRequest } from './http';

export type { RecordedRequest } from './http';
export type { AnthropicContentBlock, FakeReply, FakeMessageReply, FakeErrorReply, FakeUsage, StopReason } from './anthropic-message';
export { DEFAULT_ANSWER } from './anthropic-message';
export { minCacheableTokens, tokensForChars } from './anthropic-prompt';

export interface FakeAnthropicModel {
  id: string;
  display_name?: string;
  created_at?: string;
}

export interface FakeAnthropicOptions {
  /** Accepted keys (x-api-key or Authorization: Bearer). Default: any non-empty key. */
  apiKeys?: string[];
  /** Consulted when the queue is empty. Default: a text answer (DEFAULT_ANSWER). */
  respond?: (req: RecordedRequest) => FakeReply | Promise<FakeReply>;
  /** Replaces the 5-minute cache TTL; the 1-hour TTL becomes 12 × this. Default 300 000. */
  cacheTtlMs?: number;
  /** The fake's clock (cache expiry, batch progress, `at`). Default Date.now. */
  now?: () => number;
  /** What GET /v1/models lists. When given, other models get 404; by default any `claude-*` id is served. */
  models?: FakeAnthropicModel[];
  /** How long a batch stays in_progress. Default 0: ended from the first retrieve on. */
  batchDelayMs?: number;
  /** Bodies above this get 413 request_too_large. Default 32 MiB (the docs' Messages limit). */
  maxRequestBytes?: number;
}

export interface FakeAnthropic {
  url: string;
  /** Every HTTP request received, in order (batch items are not HTTP requests and are not here). */
  requests: RecordedRequest[];
  /** Replies used first-in first-out by /v1/messages and by batch items, before `respond`. */
  enqueue(...r: FakeReply[]): void;
  setResponder(fn: FakeAnthropicOptions['respond']): void;
  /** Clears requests, queue, prompt cache and batches, and restores the original responder. */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_MODELS: Required<FakeAnthropicModel>[] = [
  { id: 'claude-opus-4-8', display_name: 'Claude Opus 4.8', created_at: '2026-08-05T00:00:00Z' },
  { id: 'claude-sonnet-4-6', display_name: 'Claude Sonnet 4.6', created_at: '2026-02-17T00:00:00Z' },
  { id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z' },
  { id: 'claude-opus-4-5-20251101', display_name: 'Claude Opus 4.5', created_at: '2025-11-01T00:00:00Z' },
  { id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' },
];

const FIVE_MINUTES = 5 * 60 * 1000;

/** The cache_control mistakes the API refuses with a 400, or undefined. */
function promptProblem(body: MessagesBody): string | undefined {
  try {
    promptUnits(body);
    return undefined;
  } catch (e) {
    if (e instanceof PromptError) return e.message;
    throw e;
  }
}

export async function startFakeAnthropic(opts: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const now = opts.now ?? Date.now;
  const requests: RecordedRequest[] = [];
  const queue: FakeReply[] = [];
  let responder = opts.respond;
  const ttl5m = opts.cacheTtlMs ?? FIVE_MINUTES;
  const cache = new PromptCache({ '5m': ttl5m, '1h': ttl5m * 12 });
  let baseUrl = '';
  const batches = new BatchStore(() => baseUrl, opts.batchDelayMs ?? 0);
  const models = (opts.models ?? DEFAULT_MODELS).map((m) => ({
    type: 'model' as const,
    id: m.id,
    display_name: m.display_name ?? m.id,
    created_at: m.created_at ?? '2025-01-01T00:00:00Z',
  }));
  const maxBytes = opts.maxRequestBytes ?? 32 * 1024 * 1024;

  const knownModel = (id: string) => (opts.models ? models.some((m) => m.id === id) : id.startsWith('claude-'));

  async function nextReply(rec: RecordedRequest): Promise<FakeReply> {
    return queue.shift() ?? (responder ? await responder(rec) : { type: 'message' });
  }

  function promptUsage(body: MessagesBody): PromptUsage {
    const units = promptUnits(body);
    const c = cache.apply(body.model, units, now(), minCacheableTokens(body.model));
    return {
      input_tokens: c.uncachedTokens,
      cache_creation_input_tokens: c.write5mTokens + c.write1hTokens,
      cache_read_input_tokens: c.readTokens,
      cache_creation: { ephemeral_5m_input_tokens: c.write5mTokens, ephemeral_1h_input_tokens: c.write1hTokens },
    };
  }

  function authorised(rec: RecordedRequest): boolean {
    const bearer = /^Bearer\s+(.+)$/i.exec(rec.headers.authorization ?? '')?.[1];
    const key = rec.headers['x-api-key'] ?? bearer ?? '';
    return opts.apiKeys ? opts.apiKeys.includes(key) : key.length > 0;
  }

  async function messages(rec: RecordedRequest, res: ServerResponse, rid: string): Promise<void> {
    const checked = checkMessagesBody(rec.body, { requireMaxTokens: true, betas: betasOf(rec.headers) });
    if (!checked.ok) return sendError(res, rid, 400, { message: checked.message });
    const { body, maxTokens } = checked;
    if (!knownModel(body.model)) return sendError(res, rid, 404, { message: `model: ${body.model}` });
    const problem = promptProblem(body);
    if (problem) return sendError(res, rid, 400, { message: problem });
    const reply = await nextReply(rec);
    if (reply.type === 'error') return sendError(res, rid, reply.status, reply);
    const msg = buildMessage(reply, body.model, maxTokens, promptUsage(body));
    await sleep(reply.delayMs ?? 0);
    if (body.stream === true) return stream(res, rid, msg, reply);
    sendJson(res, 200, msg, { 'request-id': rid });
  }

  async function stream(res: ServerResponse, rid: string, msg: WireMessage, reply: FakeMessageReply): Promise<void> {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': rid });
    res.flushHeaders();
    const write = (chunk: string) => new Promise<void>((resolve) => res.write(chunk, () => resolve()));
    let sent = 0;
    for (const e of streamEvents(msg)) {
      if (reply.disconnectAfterEvents !== undefined && sent >= reply.disconnectAfterEvents) {
        res.socket?.destroy();
        return;
      }
      const err = reply.errorAfterEvents;
      if (err && sent >= err.after) {
        await write(formatSse({ event: 'error', data: { type: 'error', error: { type: err.type, message: err.message } } }));
        res.end();
        return;
      }
      if (sent > 0) await sleep(reply.chunkDelayMs ?? 0);
      if (res.destroyed) return;
      await write(formatSse(e));
      sent++;
    }
    res.end();
  }

  function countTokens(rec: RecordedRequest, res: ServerResponse, rid: string): void {
    const checked = checkMessagesBody(rec.body, { requireMaxTokens: false, betas: betasOf(rec.headers) });
    if (!checked.ok) return sendError(res, rid, 400, { message: checked.message });
    if (!knownModel(checked.body.model)) return sendError(res, rid, 404, { message: `model: ${checked.body.model}` });
    const problem = promptProblem(checked.body);
    if (problem) return sendError(res, rid, 400, { message: problem });
    sendJson(res, 200, { input_tokens: promptTokens(promptUnits(checked.body)) }, { 'request-id': rid });
  }

  function listModels(rec: RecordedRequest, res: ServerResponse, rid: string): void {
    const limit = Math.min(1000, Math.max(1, Number(rec.query.get('limit') ?? 20) || 20));
    const after = rec.query.get('after_id');
    const before = rec.query.get('before_id');
    let start = 0;
    let end = models.length;
    if (after) start = models.findIndex((m) => m.id === after) + 1;
    if (before) end = Math.max(0, models.findIndex((m) => m.id === before));
    let page = models.slice(start, end);
    const hasMore = page.length > limit;
    page = before ? page.slice(-limit) : page.slice(0, limit);
    sendJson(
      res,
      200,
      { data: page, has_more: hasMore, first_id: page[0]?.id ?? null, last_id: page[page.length - 1]?.id ?? null },
      { 'request-id': rid },
    );
  }

  async function batchItem(rec: RecordedRequest, customId: string, params: unknown): Promise<BatchItemResult> {
    const rid = fakeId('req_');
    const errored = (status: number, message?: string, errorType?: string): BatchItemResult => ({
      type: 'errored',
      error: errorBody(status, rid, errorType, message),
    });
    const checked = checkMessagesBody(params, { requireMaxTokens: true });
    if (!checked.ok) return errored(400, checked.message);
    if (!knownModel(checked.body.model)) return errored(404, `model: ${checked.body.model}`);
    const problem = promptProblem(checked.body);
    if (problem) return errored(400, problem);
    const item: RecordedRequest = {
      ...rec,
      path: '/v1/messages',
      query: new URLSearchParams(),
      headers: { ...rec.headers, 'x-fake-batch-custom-id': customId },
      rawBody: JSON.stringify(params),
      body: params,
    };
    const reply = await nextReply(item);
    if (reply.type === 'error') return errored(reply.status, reply.message, reply.errorType);
    const message = buildMessage(reply, checked.body.model, checked.maxTokens, promptUsage(checked.body), 'batch');
    return { type: 'succeeded', message };
  }

  async function createBatch(rec: RecordedRequest, res: ServerResponse, rid: string): Promise<void> {
    const reqs = isRecord(rec.body) ? rec.body.requests : undefined;
    if (!Array.isArray(reqs) || reqs.length === 0) {
      return sendError(res, rid, 400, { message: 'requests: List should have at least 1 item' });
    }
    const seen = new Set<string>();
    for (const [i, r] of reqs.entries()) {
      if (!isRecord(r) || typeof r.custom_id !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(r.custom_id)) {
        return sendError(res, rid, 400, { message: `requests.${i}.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'` });
      }
      if (!isRecord(r.params)) return sendError(res, rid, 400, { message: `requests.${i}.params: Field required` });
      if (seen.has(r.custom_id)) return sendError(res, rid, 400, { message: `Duplicate custom_id: ${r.custom_id}` });
      seen.add(r.custom_id);
    }
    const results: { custom_id: string; result: BatchItemResult }[] = [];
    for (const r of reqs) {
      if (!isRecord(r) || typeof r.custom_id !== 'string') continue;
      results.push({ custom_id: r.custom_id, result: await batchItem(rec, r.custom_id, r.params) });
    }
    const id = batches.add(now(), results);
    sendJson(res, 200, batches.view(id, now(), true), { 'request-id': rid });
  }

  function batchRoute(rec: RecordedRequest, res: ServerResponse, rid: string, id: string, action: string | undefined): void {
    if (!batches.has(id)) return sendError(res, rid, 404, { message: `Message batch not found: ${id}` });
    const t = now();
    if (rec.method === 'GET' && action === undefined) return sendJson(res, 200, batches.view(id, t), { 'request-id': rid });
    if (rec.method === 'POST' && action === 'cancel') {
      const wasEnded = batches.isEnded(id, t);
      batches.cancel(id, t);
      return sendJson(res, 200, batches.view(id, t, !wasEnded), { 'request-id': rid });
    }
    if (rec.method === 'DELETE' && action === undefined) {
      if (!batches.isEnded(id, t)) {
        return sendError(res, rid, 400, { message: 'Batch is still in progress; cancel it before deleting.' });
      }
      batches.delete(id);
      return sendJson(res, 200, { id, type: 'message_batch_deleted' }, { 'request-id': rid });
    }
    if (rec.method === 'GET' && action === 'results') {
      if (!batches.isEnded(id, t)) return sendError(res, rid, 400, { message: `Batch ${id} has not finished processing.` });
      const jsonl = batches.results(id, t).map((r) => JSON.stringify(r)).join('\n') + '\n';
      res.writeHead(200, { 'content-type': 'application/binary', 'request-id': rid });
      res.end(jsonl);
      return;
    }
    sendError(res, rid, 404, { message: `${rec.method} ${rec.path} not found` });
  }

  function listBatches(rec: RecordedRequest, res: ServerResponse, rid: string): void {
    const limit = Math.min(1000, Math.max(1, Number(rec.query.get('limit') ?? 20) || 20));
    const ids = batches.ids();
    const after = rec.query.get('after_id');
    const start = after ? ids.indexOf(after) + 1 : 0;
    const page = ids.slice(start, start + limit).map((id) => batches.view(id, now()));
    const last = page[page.length - 1];
    sendJson(
      res,
      200,
      { data: page, has_more: start + limit < ids.length, first_id: page[0]?.id ?? null, last_id: last?.id ?? null },
      { 'request-id': rid },
    );
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rid = fakeId('req_');
    let raw: string;
    let tooLarge = false;
    try {
      raw = await readBody(req, maxBytes);
    } catch (e) {
      if (!(e instanceof BodyTooLarge)) throw e;
      raw = '';
      tooLarge = true;
    }
    const rec = record(req, raw, now());
    requests.push(rec);
    const { method, path } = rec;
    if (path === '/' && (method === 'HEAD' || method === 'GET')) {
      res.writeHead(200, { 'request-id': rid });
      res.end();
      return;
    }
    if (tooLarge) return sendError(res, rid, 413);
    if (!authorised(rec)) return sendError(res, rid, 401);
    if (path.startsWith('/v1/') && !rec.headers['anthropic-version']) {
      return sendError(res, rid, 400, { message: 'anthropic-version: header is required' });
    }
    if (rec.rawBody.length > 0 && rec.body === undefined) {
      return sendError(res, rid, 400, { message: 'There was an issue with the format or content of your request: body is not valid JSON.' });
    }
    if (method === 'POST' && path === '/v1/messages') return messages(rec, res, rid);
    if (method === 'POST' && path === '/v1/messages/count_tokens') return countTokens(rec, res, rid);
    if (method === 'GET' && path === '/v1/models') return listModels(rec, res, rid);
    const model = /^\/v1\/models\/([^/]+)$/.exec(path);
    if (method === 'GET' && model) {
      const found = models.find((m) => m.id === decodeURIComponent(model[1] ?? ''));
      return found ? sendJson(res, 200, found, { 'request-id': rid }) : sendError(res, rid, 404, { message: `model: ${model[1]}` });
    }
    if (method === 'POST' && path === '/v1/messages/batches') return createBatch(rec, res, rid);
    if (method === 'GET' && path === '/v1/messages/batches') return listBatches(rec, res, rid);
    const batch = /^\/v1\/messages\/batches\/([^/]+)(?:\/(cancel|results))?$/.exec(path);
    if (batch) return batchRoute(rec, res, rid, batch[1] ?? '', batch[2]);
    sendError(res, rid, 404, { message: `${method} ${path} not found` });
  }

  const server = await listen(route, (err, res) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendError(res, fakeId('req_'), 500, { message: `fake Anthropic failed: ${String(err)}` });
  });
  baseUrl = server.url;

  return {
    url: server.url,
    requests,
    enqueue: (...r) => void queue.push(...r),
    setResponder: (fn) => {
      responder = fn;
    },
    reset: () => {
      requests.length = 0;
      queue.length = 0;
      responder = opts.respond;
      cache.clear();
      batches.clear();
    },
    close: () => server.close(),
  };
}

function betasOf(headers: Record<string, string>): string[] {
  return (headers['anthropic-beta'] ?? '').split(',').map((b) => b.trim()).filter(Boolean);
}
