// A protocol-faithful fake of the Ollama HTTP API for Sluice's tests (never imported by product
// code): /api/chat (NDJSON or one JSON), /api/tags, /api/ps, /api/show, /api/pull, /api/delete,
// /api/version and `/` ("Ollama is running"). Count rule: see ollama-chat.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { keepAliveMs, metrics, planChat, promptEvalCount, type FakeChatReply } from './ollama-chat';
import {
  DEFAULT_NUM_CTX,
  DEFAULT_OLLAMA_MODELS,
  digestOf,
  normalizeName,
  psEntry,
  showResponse,
  tagsEntry,
  type FakeOllamaModel,
} from './ollama-models';
import { isRecord, listen, readBody, record, sendJson, sleep, type RecordedRequest } from './http';

export type { RecordedRequest } from './http';
export type { FakeChatReply } from './ollama-chat';
export type { FakeOllamaModel } from './ollama-models';
export { DEFAULT_OLLAMA_ANSWER } from './ollama-chat';
export { DEFAULT_OLLAMA_MODELS } from './ollama-models';

export interface FakeChatRequest {
  model: string;
  messages: unknown[];
  tools?: unknown[];
  stream: boolean;
  options?: Record<string, unknown>;
}

export interface FakeOllamaOptions {
  /** Installed models. Default DEFAULT_OLLAMA_MODELS (llama3.2:3b, qwen2.5-coder:7b). */
  models?: FakeOllamaModel[];
  /** What /api/version reports. Default '0.13.0'. */
  version?: string;
  /** Consulted for /api/chat when the queue is empty. Default: DEFAULT_OLLAMA_ANSWER. */
  respond?: (req: FakeChatRequest) => FakeChatReply | Promise<FakeChatReply>;
  pull?: { layers?: number; bytesPerLayer?: number; stepDelayMs?: number; failWith?: string };
  /** Every call answers 503, as an Ollama with a full queue does. */
  busy?: boolean;
  /** The fake's clock (keep_alive expiry, created_at). Default Date.now. */
  now?: () => number;
}

export interface FakeOllama {
  url: string;
  requests: RecordedRequest[];
  /** Live list: pulls add to it, deletes remove from it. */
  models: FakeOllamaModel[];
  /** Live list of the models /api/ps would show (expired ones are dropped on the next request). */
  loaded: string[];
  enqueue(...r: FakeChatReply[]): void;
  setBusy(b: boolean): void;
  close(): Promise<void>;
}

const BUSY = 'server busy, please try again.  maximum pending requests exceeded';

export async function startFakeOllama(opts: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const now = opts.now ?? Date.now;
  const requests: RecordedRequest[] = [];
  const queue: FakeChatReply[] = [];
  const models: FakeOllamaModel[] = (opts.models ?? DEFAULT_OLLAMA_MODELS).map((m) => ({ ...m, name: normalizeName(m.name) }));
  const loaded: string[] = [];
  const runtime = new Map<string, { expiresAt: number; contextLength: number }>();
  let busy = opts.busy ?? false;

  const find = (name: string) => models.find((m) => m.name === normalizeName(name));
  const iso = (ms: number) => new Date(ms).toISOString();
  const modelOf = (body: unknown) => (isRecord(body) ? body.model ?? body.name : undefined);

  function pruneExpired(): void {
    for (const [name, r] of runtime) if (r.expiresAt <= now()) runtime.delete(name);
    loaded.splice(0, loaded.length, ...[...runtime.keys()]);
  }

  /** Loads (or keeps loaded) a model; answers whether this call had to load it. */
  function load(m: FakeOllamaModel, keepAlive: unknown, numCtx: unknown): boolean {
    const fresh = !runtime.has(m.name);
    const ttl = keepAliveMs(keepAlive);
    const ctx = Math.min(typeof numCtx === 'number' && numCtx > 0 ? numCtx : DEFAULT_NUM_CTX, m.contextLength ?? Number.MAX_SAFE_INTEGER);
    if (ttl <= 0) runtime.delete(m.name);
    else runtime.set(m.name, { expiresAt: now() + ttl, contextLength: ctx });
    pruneExpired();
    return fresh;
  }

  async function chat(rec: RecordedRequest, res: ServerResponse): Promise<void> {
    const body = rec.body;
    if (!isRecord(body)) return sendJson(res, 400, { error: 'invalid request body' });
    const name = body.model;
    if (typeof name !== 'string' || name.length === 0) return sendJson(res, 400, { error: 'model is required' });
    const model = find(name);
    if (!model) return sendJson(res, 404, { error: `model "${name}" not found, try pulling it first` });
    const options = isRecord(body.options) ? body.options : undefined;
    const messages = Array.isArray(body.messages) ? body.messages : [];
    const stream = body.stream !== false;
    const fresh = load(model, body.keep_alive, options?.num_ctx);
    const base = () => ({ model: model.name, created_at: iso(now()) });
    if (messages.length === 0) {
      // An empty chat only loads (or, with keep_alive 0, unloads) the model.
      return sendJson(res, 200, { ...base(), message: { role: 'assistant', content: '' }, done: true, done_reason: body.keep_alive === 0 ? 'unload' : 'load' });
    }
    const req: FakeChatRequest = { model: model.name, messages, stream };
    if (Array.isArray(body.tools)) req.tools = body.tools;
    if (options) req.options = options;
    const reply = queue.shift() ?? (opts.respond ? await opts.respond(req) : {});
    if ('error' in reply) return sendJson(res, reply.status ?? 500, { error: reply.error });
    const numPredict = typeof options?.num_predict === 'number' ? options.num_predict : undefined;
    const plan = planChat(reply, promptEvalCount(messages, body.tools), numPredict);
    await sleep(reply.delayMs ?? 0);
    const final = { done: true, done_reason: plan.doneReason, ...metrics(plan, fresh) };
    if (!stream) return sendJson(res, 200, { ...base(), message: plan.whole, ...final });
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    res.flushHeaders();
    for (const message of plan.chunks) {
      if (res.destroyed) return;
      res.write(`${JSON.stringify({ ...base(), message, done: false })}\n`);
      await sleep(reply.chunkDelayMs ?? 0);
    }
    res.end(`${JSON.stringify({ ...base(), message: { role: 'assistant', content: '' }, ...final })}\n`);
  }

  async function pull(rec: RecordedRequest, res: ServerResponse): Promise<void> {
    const name = modelOf(rec.body);
    if (typeof name !== 'string' || name.length === 0) return sendJson(res, 400, { error: 'model is required' });
    const stream = !isRecord(rec.body) || rec.body.stream !== false;
    const cfg = opts.pull ?? {};
    const layers = cfg.layers ?? 3;
    const perLayer = cfg.bytesPerLayer ?? 1_048_576;
    const lines: Record<string, unknown>[] = [{ status: 'pulling manifest' }];
    if (cfg.failWith === undefined) {
      for (let i = 0; i < layers; i++) {
        const digest = `sha256:${digestOf(`${normalizeName(name)}#${i}`)}`;
        for (const part of [0, 1, 2, 3, 4]) {
          lines.push({ status: `pulling ${digest.slice(7, 19)}`, digest, total: perLayer, completed: Math.round((perLayer * part) / 4) });
        }
      }
      lines.push({ status: 'verifying sha256 digest' }, { status: 'writing manifest' }, { status: 'success' });
    }
    const install = () => {
      if (!find(name)) models.push({ name: normalizeName(name), sizeBytes: layers * perLayer, capabilities: ['completion'] });
    };
    if (!stream) {
      await sleep((cfg.stepDelayMs ?? 0) * lines.length);
      if (cfg.failWith !== undefined) return sendJson(res, 500, { error: cfg.failWith });
      install();
      return sendJson(res, 200, { status: 'success' });
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    res.flushHeaders();
    for (const line of lines) {
      if (res.destroyed) return;
      // Like Ollama, the model is in place before "success" is sent: clients stop reading at success.
      if (line.status === 'success') install();
      res.write(`${JSON.stringify(line)}\n`);
      await sleep(cfg.stepDelayMs ?? 0);
    }
    if (cfg.failWith !== undefined) {
      res.end(`${JSON.stringify({ error: cfg.failWith })}\n`);
      return;
    }
    install();
    res.end();
  }

  function remove(rec: RecordedRequest, res: ServerResponse): void {
    const name = modelOf(rec.body);
    if (typeof name !== 'string' || name.length === 0) return sendJson(res, 400, { error: 'model is required' });
    const m = find(name);
    if (!m) return sendJson(res, 404, { error: `model '${name}' not found` });
    models.splice(models.indexOf(m), 1);
    runtime.delete(m.name);
    pruneExpired();
    res.writeHead(200);
    res.end();
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rec = record(req, await readBody(req, 64 * 1024 * 1024), now());
    requests.push(rec);
    pruneExpired();
    if (busy) return sendJson(res, 503, { error: BUSY });
    const { method, path } = rec;
    if (path === '/' && (method === 'GET' || method === 'HEAD')) {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '17' });
      res.end(method === 'HEAD' ? undefined : 'Ollama is running');
      return;
    }
    if (rec.rawBody.length > 0 && rec.body === undefined) return sendJson(res, 400, { error: 'invalid character in request body' });
    if (method === 'POST' && path === '/api/chat') return chat(rec, res);
    if (method === 'GET' && path === '/api/tags') return sendJson(res, 200, { models: models.map(tagsEntry) });
    if (method === 'GET' && path === '/api/ps') {
      const running = models.flatMap((m) => {
        const r = runtime.get(m.name);
        if (!r) return [];
        const expires = Number.isFinite(r.expiresAt) ? r.expiresAt : Date.UTC(2318, 0, 1);
        return [psEntry(m, iso(expires), r.contextLength)];
      });
      return sendJson(res, 200, { models: running });
    }
    if (method === 'POST' && path === '/api/show') {
      const name = modelOf(rec.body);
      const m = typeof name === 'string' ? find(name) : undefined;
      return m ? sendJson(res, 200, showResponse(m)) : sendJson(res, 404, { error: `model '${String(name)}' not found` });
    }
    if (method === 'POST' && path === '/api/pull') return pull(rec, res);
    if (method === 'DELETE' && path === '/api/delete') return remove(rec, res);
    if (method === 'GET' && path === '/api/version') return sendJson(res, 200, { version: opts.version ?? '0.13.0' });
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('404 page not found');
  }

  const server = await listen(route, (err, res) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendJson(res, 500, { error: `fake Ollama failed: ${String(err)}` });
  });

  return {
    url: server.url,
    requests,
    models,
    loaded,
    enqueue: (...r) => void queue.push(...r),
    setBusy: (b) => {
      busy = b;
    },
    close: () => server.close(),
  };
}
