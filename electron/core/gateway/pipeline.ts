import crypto from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Agent } from '../ledger/agent-store';
import type { SettingsStore } from '../ledger/settings-store';
import type { BudgetEnforcer, Reservation, SettledRequest } from '../budget/enforcer';
import type { PriceCatalog, PriceLookup } from '../pricing/catalog';
import type { AnthropicProvider } from '../providers/anthropic/client';
import { MissingApiKeyError, UpstreamError, forwardableHeaders } from '../providers/anthropic/client';
import { Cancellation, readAll, type UpstreamReply } from '../providers/anthropic/upstream-post';
import type { OllamaProvider } from '../providers/ollama/client';
import { OllamaUnavailableError } from '../providers/ollama/client';
import { anthropicToOllama, ollamaToAnthropic, AnthropicSseEncoder, readMessagesBody } from '../providers/ollama/translate';
import { UsageTap } from '../providers/anthropic/usage-tap';
import type { Clock, EventBus } from '../events';
import type { Logger } from '../log';
import type { Micros } from '../../../shared/money';
import { costOf, worstCaseCost } from '../../../shared/pricing';
import { fromAnthropicUsage, promptTokens, ZERO_USAGE, type AnthropicUsage, type Usage } from '../../../shared/usage';
import { downgradeTarget, route, type LocalModelInfo, type RouteDecision, type RouteInput } from '../router/route';
import type { MessagesRequest } from './messages-request';
import { sendError } from './errors';
import type { ResponseSink } from './sink';
import { forwardStream, passThroughHeaders, withHeaders, writeChunk } from './stream-io';
import type { SessionTracker } from './sessions';
import { ResponseCache, type CapturedResponse } from './response-cache';
import type { PrefixReuse } from '../coordinator/shared-prefix';
import type { ProjectPrefixes } from '../coordinator/project-prefixes';
import { sharePrefixes } from '../coordinator/share-prefixes';
import type { RequestRow } from '../../../shared/contract';

/** Everything the pipeline needs, built once by the composition root. */
export interface PipelineDeps {
  settings: SettingsStore;
  enforcer: BudgetEnforcer;
  catalog: () => PriceCatalog;
  anthropic: AnthropicProvider;
  ollama: OllamaProvider;
  localModels: () => readonly LocalModelInfo[] | null;
  sessions: SessionTracker;
  responses: ResponseCache;
  prefixes: PrefixReuse;
  /** Project prefixes for Sluice's own tasks (absent: only the tools prefix is shared). */
  projectPrefixes?: ProjectPrefixes;
  clock: Clock;
  events: EventBus;
  log: Logger;
  /** Called after each settled request with its ledger row (the UI's live feed). */
  onSettled?: (row: RequestRow, agentId: number | null) => void;
}

export interface Attributed {
  agent: Agent;
  sessionId: string;
  taskId: string | null;
}

interface Plan {
  decision: RouteDecision;
  price: PriceLookup;
  reservation: Reservation;
  downgradedFrom: string | null;
}

/** attribute → route → admit → send → settle, for one POST /v1/messages. */
export async function runMessages(
  deps: PipelineDeps,
  headers: IncomingHttpHeaders,
  res: ResponseSink,
  mr: MessagesRequest,
  who: Attributed,
  search: string,
): Promise<void> {
  const startedAt = deps.clock.now();
  const settings = deps.settings.get();
  const below100 = settings.thresholds.filter((t) => t < 100);
  const routeInput: RouteInput = {
    model: mr.model,
    agentName: who.agent.name,
    hasTools: mr.hasTools,
    maxTokens: mr.maxTokens,
    estimatedPromptTokens: mr.estimatedPromptTokens,
    imageCount: mr.imageCount,
    rules: settings.routing,
    localModels: deps.localModels(),
    sessionModel: deps.sessions.modelOf(who.sessionId),
    budget: { percent: deps.enforcer.percentSpent(), policy: who.agent.policy ?? settings.policy, stepDownAtPercent: below100.length ? Math.max(...below100) : 95 },
    sessionCachedTokens: deps.sessions.cachedTokensOf(who.sessionId),
    inputRate: (model) => deps.catalog().lookup(model).price.rates.input,
  };
  let decision = route(routeInput);

  // Coordinate: a Sluice task's agent loop gets its project prefix first; the end of the tools is marked for every agent.
  if (decision.provider === 'anthropic' && settings.routing.sharePrefix !== false) {
    const shared = await sharePrefixes(deps, { body: mr.body, model: decision.model, taskId: who.taskId, agentId: who.agent.id, now: startedAt });
    if (shared) {
      mr.body = shared.body;
      mr.bodyBytes = undefined;
      mr.bodyModel = undefined;
      mr.estimatedPromptTokens += shared.addedTokens;
      if (shared.ttls.includes('1h')) mr.cacheTtl = '1h';
      else if (shared.ttls.length > 0) mr.cacheTtl ??= '5m';
      decision = { ...decision, reason: `${decision.reason}; ${shared.notes.join('; ')}` };
    }
  }

  // Identical requests share one upstream call (checked before admission: an answer we already have costs nothing).
  let leader: ReturnType<ResponseCache['lead']> | null = null;
  let deterministic = false;
  if (decision.provider === 'anthropic') {
    const ttlMs = (settings.routing.responseCacheSeconds ?? 300) * 1000;
    deterministic = mr.temperature === 0 && ttlMs > 0;
    const key = ResponseCache.key(decision.model, bodyBytes(mr, decision.model), mr.stream ? 'stream' : 'json');
    const hit = deterministic ? deps.responses.cached(key, startedAt, ttlMs) : null;
    const shared = hit ?? (await deps.responses.waitFor(key));
    if (shared) {
      const why = hit
        ? `cache: identical deterministic request answered ${Math.round((startedAt - hit.at) / 1000)} s ago`
        : 'dedupe: identical request was in flight';
      replay(deps, res, mr, who, { ...decision, reason: why }, shared, startedAt);
      return;
    }
    leader = deps.responses.lead(key);
  }
  let captured: CapturedResponse | null = null;
  try {
    const share = leader;
    captured = await serve(deps, headers, res, mr, who, decision, routeInput, startedAt, search, () => deterministic || share?.waited() === true);
  } finally {
    leader?.finish(captured, deterministic);
  }
}

/** Admits and sends one routed request, with the Ollama and overload fallbacks. */
async function serve(
  deps: PipelineDeps,
  headers: IncomingHttpHeaders,
  res: ResponseSink,
  mr: MessagesRequest,
  who: Attributed,
  decision: RouteDecision,
  routeInput: RouteInput,
  startedAt: number,
  search: string,
  wantCapture: () => boolean,
): Promise<CapturedResponse | null> {
  const settings = deps.settings.get();
  const plan = admitFor(deps, who, mr, decision, routeInput);
  if (!plan.ok) {
    recordRefusal(deps, who, mr, plan.decision, startedAt, plan.message);
    sendError(res, 429, 'rate_limit_error', plan.message, { 'retry-after': String(plan.retryAfterSeconds) });
    return null;
  }
  let p = plan.plan;
  deps.sessions.recordModel(who.sessionId, p.decision.model);
  const extraHeaders: Record<string, string> = {
    'x-sluice-model': p.decision.model,
    'x-sluice-route': ascii(p.decision.reason),
  };
  if (p.downgradedFrom) extraHeaders['x-sluice-downgraded'] = ascii(`${p.downgradedFrom} -> ${p.decision.model} (daily budget)`);

  if (p.decision.provider === 'ollama') {
    const served = await sendOllama(deps, headers, res, mr, who, p, startedAt, extraHeaders);
    if (served) return null;
    // Ollama was unreachable before anything was sent: fall back to the fast tier, recorded in the reason.
    deps.enforcer.release(p.reservation);
    const fallback: RouteDecision = { provider: 'anthropic', model: settings.routing.tiers.fast, tier: 'fast', reason: `fast: Ollama unavailable, fell back from ${p.decision.model}` };
    const again = admitFor(deps, who, mr, fallback, routeInput, false);
    if (!again.ok) {
      recordRefusal(deps, who, mr, fallback, startedAt, again.message);
      sendError(res, 429, 'rate_limit_error', again.message, { 'retry-after': String(again.retryAfterSeconds) });
      return null;
    }
    p = again.plan;
  }
  extraHeaders['x-sluice-model'] = p.decision.model;
  extraHeaders['x-sluice-route'] = ascii(p.decision.reason);
  const alt = settings.routing.overloadFallback ?? settings.routing.tiers.fast;
  const first = await sendAnthropic(deps, headers, res, mr, who, p, startedAt, search, extraHeaders, alt !== p.decision.model, wantCapture);
  if (first.kind === 'done') return first.captured;

  // Overloaded after our retries, nothing sent to the caller yet: try the configured alternative once.
  const fallback: RouteDecision = { provider: 'anthropic', model: alt, tier: alt === settings.routing.tiers.fast ? 'fast' : p.decision.tier, reason: `fallback: ${p.decision.model} overloaded (${first.status}), sent to ${alt}` };
  const again = admitFor(deps, who, mr, fallback, routeInput, false);
  if (!again.ok) {
    recordRefusal(deps, who, mr, fallback, startedAt, again.message);
    sendError(res, 429, 'rate_limit_error', again.message, { 'retry-after': String(again.retryAfterSeconds) });
    return null;
  }
  extraHeaders['x-sluice-model'] = alt;
  extraHeaders['x-sluice-route'] = ascii(fallback.reason);
  const second = await sendAnthropic(deps, headers, res, mr, who, again.plan, startedAt, search, extraHeaders, false, wantCapture);
  return second.kind === 'done' ? second.captured : null;
}

/** The body as it goes upstream for `model`, serialised once per model (a routed request names another model). */
function bodyBytes(mr: MessagesRequest, model: string): Buffer {
  if (mr.bodyBytes && (mr.bodyModel ?? mr.model) === model) return mr.bodyBytes;
  mr.bodyBytes = Buffer.from(JSON.stringify(model === mr.model ? mr.body : { ...mr.body, model }));
  mr.bodyModel = model;
  return mr.bodyBytes;
}

/** Answers from a shared response (cache or in-flight twin) and records it at no cost. */
function replay(deps: PipelineDeps, res: ResponseSink, mr: MessagesRequest, who: Attributed, decision: RouteDecision, shared: CapturedResponse, startedAt: number): void {
  res.writeHead(shared.status, withHeaders(shared.headers, { 'x-sluice-model': decision.model, 'x-sluice-route': ascii(decision.reason), 'content-length': String(shared.body.length) }));
  res.end(shared.body);
  const price = deps.catalog().lookup(decision.model, decision.provider);
  const base = baseRecord(deps, who, mr, { decision, price }, startedAt);
  const finishedAt = deps.clock.now();
  const record = settledRecord(base, { ...ZERO_USAGE }, 0, shared.baselineMicros, finishedAt, { status: 'ok', httpStatus: shared.status, error: null, ttfbMs: finishedAt - startedAt });
  deps.enforcer.settleSoon(
    null,
    record,
    (id) => deps.onSettled?.(toRow(id, record, null), record.agentId),
    (e) => deps.log.log('error', 'could not record a replayed request', { error: e.message }),
  );
}

type AdmitResult =
  | { ok: true; plan: Plan }
  | { ok: false; message: string; retryAfterSeconds: number; decision: RouteDecision };

function admitFor(deps: PipelineDeps, who: Attributed, mr: MessagesRequest, decision: RouteDecision, routeInput: RouteInput, mayDowngrade = true): AdmitResult {
  const lookup = (d: RouteDecision) => deps.catalog().lookup(d.model, d.provider);
  const reserve = (d: RouteDecision, price: PriceLookup) =>
    deps.enforcer.admit({
      agentId: who.agent.id,
      agentName: who.agent.name,
      agentCapMicros: who.agent.dailyCapMicros,
      agentPolicy: who.agent.policy,
      amountMicros: d.provider === 'ollama' ? 0 : worstCaseCost(mr.estimatedPromptTokens, mr.maxTokens, price.price, { cacheTtl: mr.cacheTtl }),
      tokens: mr.estimatedPromptTokens + mr.maxTokens,
      lease: true,
    });
  const price = lookup(decision);
  const first = reserve(decision, price);
  if (first.ok) return { ok: true, plan: { decision, price, reservation: first.reservation, downgradedFrom: null } };
  if (mayDowngrade && first.policy === 'downgrade') {
    const target = downgradeTarget(decision.model, routeInput);
    if (target) {
      const p2 = lookup(target);
      const second = reserve(target, p2);
      if (second.ok) return { ok: true, plan: { decision: target, price: p2, reservation: second.reservation, downgradedFrom: decision.model } };
    }
  }
  const message =
    first.policy === 'queue'
      ? `${first.message} Sluice holds queued work until then; this request was not sent.`
      : first.message;
  return { ok: false, message, retryAfterSeconds: first.retryAfterSeconds, decision };
}

function ascii(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?').slice(0, 300);
}

function baseRecord(deps: PipelineDeps, who: Attributed, mr: MessagesRequest, p: { decision: RouteDecision; price: PriceLookup }, startedAt: number): Omit<SettledRequest, 'usage' | 'costMicros' | 'baselineMicros' | 'status' | 'httpStatus' | 'error' | 'finishedAt' | 'latencyMs' | 'ttfbMs'> {
  return {
    startedAt,
    agentId: who.agent.id,
    sessionId: who.sessionId,
    taskId: who.taskId,
    provider: p.decision.provider,
    modelRequested: mr.model,
    modelUsed: p.decision.model,
    tier: p.decision.tier,
    routeReason: p.decision.reason,
    priceFlag: p.price.flag,
    batch: false,
    stream: mr.stream,
    prunedTokens: mr.prune?.savedTokens ?? 0,
    pruneNote: mr.prune?.note ?? null,
  };
}

function settle(
  deps: PipelineDeps,
  reservation: Reservation | null,
  base: BaseRecord,
  price: PriceLookup,
  usage: Usage,
  outcome: Outcome,
): number {
  const finishedAt = deps.clock.now();
  const costMicros = costOf(usage, price.price);
  const strong = deps.catalog().lookup(deps.settings.get().routing.tiers.strong, 'anthropic').price;
  // Baseline: the same work on the strong model with no cache — every prompt token at the full input rate.
  const baselineMicros = costOf({ ...ZERO_USAGE, inputTokens: promptTokens(usage) + (outcome.status === 'ok' ? (base.prunedTokens ?? 0) : 0), outputTokens: usage.outputTokens }, strong);
  const record = settledRecord(base, usage, costMicros, baselineMicros, finishedAt, outcome);
  deps.enforcer.settleSoon(
    reservation,
    record,
    (id) => deps.onSettled?.(toRow(id, record, null), record.agentId),
    (e) => deps.log.log('error', 'could not record a settled request', { error: e.message, model: base.modelUsed }),
  );
  if (base.sessionId && outcome.status === 'ok' && base.provider === 'anthropic') {
    const lost = deps.sessions.cacheBroken(base.sessionId, usage);
    if (lost !== null) {
      deps.events.emit({
        type: 'cache-broken',
        session: base.sessionId,
        agent: null,
        model: base.modelUsed,
        lostTokens: lost,
        message: `A session on ${base.modelUsed} stopped reading its prompt cache: about ${lost.toLocaleString('en-US')} tokens are billed at the full input price again. A changed system prompt or tool list, or a model switch, breaks the cache.`,
      });
    }
  }
  return baselineMicros;
}

type BaseRecord = ReturnType<typeof baseRecord>;
type Outcome = Pick<SettledRequest, 'status' | 'httpStatus' | 'error' | 'ttfbMs'>;

/**
 * The ledger record of a finished request, written out field by field. Built as
 * `{ ...base, usage, …, ...outcome }` it was most of the young objects that survived into the old
 * generation on the gateway bench: 0.95 MB per scavenge at 500 requests/s, 0.14 MB with this literal
 * (--trace-gc-nvp). A scavenge's pause grows with what survives it, and the survivors fill the old
 * generation, whose mark-compacts came every 3 s.
 */
function settledRecord(base: BaseRecord, usage: Usage, costMicros: Micros, baselineMicros: Micros, finishedAt: number, o: Outcome): SettledRequest {
  return {
    startedAt: base.startedAt,
    finishedAt,
    agentId: base.agentId,
    sessionId: base.sessionId,
    taskId: base.taskId,
    provider: base.provider,
    modelRequested: base.modelRequested,
    modelUsed: base.modelUsed,
    tier: base.tier,
    routeReason: base.routeReason,
    usage,
    costMicros,
    baselineMicros,
    priceFlag: base.priceFlag,
    batch: base.batch,
    stream: base.stream,
    latencyMs: finishedAt - base.startedAt,
    ttfbMs: o.ttfbMs,
    status: o.status,
    httpStatus: o.httpStatus,
    error: o.error,
    prunedTokens: base.prunedTokens,
    pruneNote: base.pruneNote,
  };
}

export function toRow(id: number, r: SettledRequest, agentName: string | null): RequestRow {
  return {
    id,
    at: new Date(r.startedAt).toISOString(),
    agent: agentName,
    session: r.sessionId,
    taskId: r.taskId,
    provider: r.provider,
    modelRequested: r.modelRequested,
    modelUsed: r.modelUsed,
    routeReason: r.routeReason,
    tokens: {
      input: r.usage.inputTokens,
      output: r.usage.outputTokens,
      cacheWrite5m: r.usage.cacheWrite5mTokens,
      cacheWrite1h: r.usage.cacheWrite1hTokens,
      cacheRead: r.usage.cacheReadTokens,
    },
    costMicros: r.costMicros,
    latencyMs: r.latencyMs,
    status: r.status,
    error: r.error,
    priceFlag: r.priceFlag,
    batch: r.batch,
  };
}

function recordRefusal(deps: PipelineDeps, who: Attributed, mr: MessagesRequest, decision: RouteDecision, startedAt: number, message: string): void {
  const price = deps.catalog().lookup(decision.model, decision.provider);
  settle(deps, null, baseRecord(deps, who, mr, { decision, price }, startedAt), price, { ...ZERO_USAGE }, {
    status: 'rejected',
    httpStatus: 429,
    error: message,
    ttfbMs: null,
  });
}

/** Chars of streamed text → tokens, for output we saw but the provider never counted (a cut stream). */
function estimateTokensFromChars(chars: number): number {
  return Math.ceil(chars / 3);
}

async function sendAnthropic(
  deps: PipelineDeps,
  headers: IncomingHttpHeaders,
  res: ResponseSink,
  mr: MessagesRequest,
  who: Attributed,
  p: Plan,
  startedAt: number,
  search: string,
  extraHeaders: Record<string, string>,
  mayFallBack: boolean,
  wantCapture: () => boolean,
): Promise<{ kind: 'done'; captured: CapturedResponse | null } | { kind: 'overloaded'; status: number }> {
  const base = baseRecord(deps, who, mr, p, startedAt);
  const cancel = new Cancellation();
  const onClose = () => {
    if (!res.writableFinished) cancel.cancel();
  };
  res.on('close', onClose);
  const bytes = bodyBytes(mr, p.decision.model);

  let upstream: UpstreamReply;
  try {
    upstream = await deps.anthropic.post('/v1/messages', bytes, { search, headers: forwardableHeaders(headers), cancel });
  } catch (e) {
    res.off('close', onClose);
    if (cancel.aborted) {
      settle(deps, p.reservation, base, p.price, { ...ZERO_USAGE }, { status: 'aborted', httpStatus: null, error: 'caller disconnected before the upstream answered', ttfbMs: null });
      return { kind: 'done', captured: null };
    }
    if (e instanceof MissingApiKeyError) {
      settle(deps, p.reservation, base, p.price, { ...ZERO_USAGE }, { status: 'error', httpStatus: 500, error: e.message, ttfbMs: null });
      sendError(res, 500, 'api_error', e.message);
      return { kind: 'done', captured: null };
    }
    const ue = e instanceof UpstreamError ? e : null;
    const status = ue?.status ?? 502;
    const message = ue ? ue.message : `Sluice could not reach the Anthropic API: ${(e as Error).message}`;
    settle(deps, p.reservation, base, p.price, { ...ZERO_USAGE }, { status: 'error', httpStatus: status, error: message, ttfbMs: null });
    if (mayFallBack && ue?.failure.failureClass === 'overloaded' && !res.headersSent) return { kind: 'overloaded', status };
    const headers: Record<string, string> = {};
    const ra = ue?.headers?.get('retry-after');
    if (ra) headers['retry-after'] = ra;
    sendError(res, status, ue?.body?.error.type ?? 'api_error', message, headers);
    return { kind: 'done', captured: null };
  }

  const ttfbMs = deps.clock.now() - startedAt;
  const upHeaders = passThroughHeaders(upstream.headers);
  res.writeHead(upstream.status, withHeaders(upHeaders, extraHeaders));
  const tap = new UsageTap();
  let grewOk = true;
  let forwarded = 0;
  let status: SettledRequest['status'] = 'ok';
  let error: string | null = null;
  let body: Buffer | null = null;

  if (mr.stream) {
    // Chunks are kept for sharing only if, when the answer starts, a twin waits or the cache will keep it:
    // each kept chunk pins its socket read buffer until the stream ends, memory (and GC work) every stream
    // paid for a rare twin. A twin arriving later sends its own request.
    const kept: Buffer[] | null = wantCapture() ? [] : null;
    const end = await forwardStream(upstream.body, res, (chunk) => {
      tap.push(chunk);
      const started = tap.takeStart();
      if (started) grewOk = topUp(deps, p, started, mr.maxTokens, who.agent.dailyCapMicros);
      forwarded += chunk.length;
      kept?.push(chunk);
    });
    if (end === 'caller-gone') {
      status = 'aborted';
      error = 'caller disconnected mid-stream';
    } else if (end !== 'complete') {
      status = 'error';
      error = `upstream connection lost mid-stream: ${end.message}`;
      const ev = `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'api_error', message: 'Sluice: the connection to the Anthropic API was lost mid-stream; the partial answer was recorded.' } })}\n\n`;
      await writeChunk(res, ev);
    } else if (!tap.sawMessageStop) {
      status = 'error';
      error = tap.error ? `${tap.error.type}: ${tap.error.message}` : 'the upstream stream ended before message_stop';
    }
    if (!res.writableEnded && !res.destroyed) res.end();
    if (status === 'ok' && kept) body = kept.length === 1 ? (kept[0] as Buffer) : Buffer.concat(kept, forwarded);
  } else {
    try {
      body = await readAll(upstream.body);
      // The caller has the answer before we read its usage.
      res.end(body);
      const msg = JSON.parse(body.toString('utf8')) as { usage?: AnthropicUsage };
      tap.usage = fromAnthropicUsage(msg.usage);
    } catch (e) {
      status = cancel.aborted ? 'aborted' : 'error';
      error = cancel.aborted ? 'caller disconnected before the answer was sent' : body ? 'the upstream answered with a body that is not JSON' : `upstream connection lost: ${(e as Error).message}`;
      if (body && !res.writableEnded) res.end(body);
      else if (!res.destroyed) res.destroy();
      body = null;
    }
  }
  res.off('close', onClose);

  let usage = tap.usage;
  if (status !== 'ok' && tap.sawMessageStart && usage.outputTokens <= 1) {
    // A cut stream never sent its final output count: estimate from the bytes we forwarded.
    usage = { ...usage, outputTokens: Math.max(usage.outputTokens, estimateTokensFromChars(Math.max(0, forwarded - 600))) };
  }
  if (!grewOk) error = error ?? 'the real prompt was larger than estimated and the budget could not cover the difference';
  const baselineMicros = settle(deps, p.reservation, base, p.price, usage, { status, httpStatus: upstream.status, error, ttfbMs });
  const captured = status === 'ok' && body ? { status: upstream.status, headers: upHeaders, body, baselineMicros, at: deps.clock.now() } : null;
  return { kind: 'done', captured };
}

/** The provider's real prompt count, from message_start: tops up the reservation if our estimate was low (false if the budget cannot cover it). */
function topUp(deps: PipelineDeps, p: Plan, started: Usage, maxTokens: number, agentCapMicros: Micros | null): boolean {
  const real = costOf({ ...started, outputTokens: maxTokens }, p.price.price);
  if (real <= p.reservation.amountMicros) return true;
  return deps.enforcer.grow(p.reservation, real - p.reservation.amountMicros, 0, agentCapMicros);
}

/** Returns false when Ollama could not be reached and nothing was sent to the caller (the caller falls back). */
async function sendOllama(
  deps: PipelineDeps,
  _headers: IncomingHttpHeaders,
  res: ResponseSink,
  mr: MessagesRequest,
  who: Attributed,
  p: Plan,
  startedAt: number,
  extraHeaders: Record<string, string>,
): Promise<boolean> {
  const base = baseRecord(deps, who, mr, p, startedAt);
  const local = deps.localModels()?.find((m) => m.name === p.decision.model || m.name === `${p.decision.model}:latest`);
  let body;
  try {
    body = readMessagesBody(mr.body);
  } catch (e) {
    settle(deps, p.reservation, base, p.price, { ...ZERO_USAGE }, { status: 'error', httpStatus: 400, error: (e as Error).message, ttfbMs: null });
    sendError(res, 400, 'invalid_request_error', (e as Error).message);
    return true;
  }
  const request = anthropicToOllama(body, p.decision.model, {
    vision: local?.capabilities.includes('vision') ?? false,
    contextLength: local?.contextLength ?? null,
  });
  const ac = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) ac.abort();
  };
  res.on('close', onClose);
  const id = `msg_sluice_${crypto.randomBytes(12).toString('hex')}`;
  let usage: Usage = { ...ZERO_USAGE };
  let status: SettledRequest['status'] = 'ok';
  let error: string | null = null;
  let ttfbMs: number | null = null;
  try {
    if (mr.stream) {
      const enc = new AnthropicSseEncoder({ id, model: p.decision.model, inputTokensEstimate: Math.round(mr.estimatedPromptTokens * 0.75) });
      const iter = deps.ollama.chatStream({ ...request, stream: true }, ac.signal);
      let headersSent = false;
      try {
        let last: Parameters<AnthropicSseEncoder['finish']>[0] | null = null;
        for await (const chunk of iter) {
          if (!headersSent) {
            res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', ...extraHeaders });
            await writeChunk(res, enc.start());
            headersSent = true;
            ttfbMs = deps.clock.now() - startedAt;
          }
          if (chunk.done) last = chunk;
          else await writeChunk(res, enc.push(chunk));
        }
        if (!headersSent) {
          res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...extraHeaders });
          await writeChunk(res, enc.start());
        }
        if (last) await writeChunk(res, enc.finish(last));
        else {
          status = 'error';
          error = 'Ollama ended the stream without a final message';
          await writeChunk(res, enc.error('api_error', 'Sluice: the local model stopped before finishing.'));
        }
      } catch (e) {
        if (!headersSent && e instanceof OllamaUnavailableError) throw e;
        if (ac.signal.aborted) {
          status = 'aborted';
          error = 'caller disconnected mid-stream';
        } else {
          status = 'error';
          error = `local model failed mid-stream: ${(e as Error).message}`;
          if (!headersSent) {
            sendError(res, 502, 'api_error', `Sluice: the local model ${p.decision.model} failed: ${(e as Error).message}`);
          } else await writeChunk(res, enc.error('api_error', `Sluice: the local model failed: ${(e as Error).message}`));
        }
      }
      usage = enc.usage();
      if (!res.writableEnded && !res.destroyed) res.end();
    } else {
      const resp = await deps.ollama.chat({ ...request, stream: false }, ac.signal);
      ttfbMs = deps.clock.now() - startedAt;
      const msg = ollamaToAnthropic(resp, { id, model: p.decision.model });
      usage = fromAnthropicUsage(msg.usage as AnthropicUsage);
      const body = JSON.stringify(msg);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...extraHeaders });
      res.end(body);
    }
  } catch (e) {
    res.off('close', onClose);
    if (e instanceof OllamaUnavailableError && !res.headersSent) {
      deps.log.log('warn', 'Ollama unavailable, falling back', { model: p.decision.model });
      return false;
    }
    status = ac.signal.aborted ? 'aborted' : 'error';
    error = (e as Error).message;
    if (!res.headersSent) sendError(res, 502, 'api_error', `Sluice: the local model ${p.decision.model} failed: ${error}`);
  }
  res.off('close', onClose);
  settle(deps, p.reservation, base, p.price, usage, { status, httpStatus: status === 'ok' ? 200 : 502, error, ttfbMs });
  return true;
}
