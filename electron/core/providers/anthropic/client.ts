import Anthropic, { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { createHttpFetch } from './http-fetch';
import { CancelledError, createUpstreamPoster, headerLookup, readAll, type Cancellation, type HeaderLookup, type UpstreamReply } from './upstream-post';
import { classifyFailure, DEFAULT_RETRY_POLICY, retryDecision, type FailureVerdict, type RetryPolicy } from './failure';

export const DEFAULT_UPSTREAM_URL = 'https://api.anthropic.com';

/** An upstream failure, with what the caller needs to answer in Anthropic's format. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  constructor(
    message: string,
    readonly status: number | null,
    /** The upstream's Anthropic-format error body, when it sent one. */
    readonly body: { type: 'error'; error: { type: string; message: string } } | null,
    readonly headers: HeaderLookup | null,
    readonly failure: FailureVerdict,
  ) {
    super(message);
  }
}

export class MissingApiKeyError extends Error {
  override readonly name = 'MissingApiKeyError';
  constructor() {
    super('Sluice has no Anthropic API key: set ANTHROPIC_API_KEY where Sluice runs, or add the key in Settings.');
  }
}

export interface AnthropicProviderOptions {
  /** Read on every call, so a key changed in Settings applies at once. */
  apiKey: () => string | null;
  /** From SLUICE_UPSTREAM_URL — never from ANTHROPIC_BASE_URL, which agents use to point at Sluice. */
  baseURL: string;
  /** Default: Node's http/https with keep-alive (`http-fetch.ts`), much cheaper per call than the global fetch. */
  fetch?: typeof fetch;
  retry?: RetryPolicy;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Per-attempt timeout; long generations stream for minutes. */
  timeoutMs?: number;
  onRetry?: (info: { attempt: number; status: number | null; delayMs: number; reason: string }) => void;
}

export interface SendOptions {
  query?: Record<string, string>;
  /** Caller headers worth forwarding (anthropic-version, anthropic-beta). Never keys. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface PostOptions {
  /** The caller's query string, forwarded as it came ('' or '?beta=true'). */
  search?: string;
  /** Caller headers worth forwarding (anthropic-version, anthropic-beta). Never keys. */
  headers?: Record<string, string>;
  cancel?: Cancellation;
}

export interface AnthropicProvider {
  readonly baseURL: string;
  hasKey(): boolean;
  /**
   * POSTs a JSON body (bytes, forwarded verbatim) and resolves with a 2xx answer whose body is still
   * a Node stream; retries by our policy and throws UpstreamError for an answer it gives up on.
   */
  post(path: string, body: Uint8Array, opts?: PostOptions): Promise<UpstreamReply>;
  /** GET with the same retry policy. */
  get(path: string, opts?: SendOptions): Promise<Response>;
  /** The typed SDK client for calls Sluice makes itself (batches, `sluice ask`). */
  sdk(): Anthropic;
}

const FORWARDED_HEADERS = new Set(['anthropic-version', 'anthropic-beta']);

export function forwardableHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  // for…in rather than Object.entries: no array of pairs per request on the gateway's path.
  for (const k in headers) {
    const v = headers[k];
    const key = k.toLowerCase();
    if (FORWARDED_HEADERS.has(key) && v !== undefined) out[key] = Array.isArray(v) ? v.join(',') : v;
  }
  return out;
}

export function createAnthropicProvider(o: AnthropicProviderOptions): AnthropicProvider {
  const policy = o.retry ?? DEFAULT_RETRY_POLICY;
  const sleep = o.sleep ?? defaultSleep;
  let cached: { key: string; client: Anthropic } | null = null;
  const timeoutMs = o.timeoutMs ?? 10 * 60 * 1000;
  // One transport (and its keep-alive pools) for the provider's life, across key changes.
  const transport = o.fetch ?? createHttpFetch();
  let poster: ReturnType<typeof createUpstreamPoster> | null = null;

  const sdk = (): Anthropic => {
    const key = o.apiKey();
    if (!key) throw new MissingApiKeyError();
    if (cached?.key !== key) {
      cached = {
        key,
        client: new Anthropic({
          apiKey: key,
          // Explicit nulls and URL: the SDK would otherwise read ANTHROPIC_AUTH_TOKEN / ANTHROPIC_BASE_URL from our env.
          authToken: null,
          baseURL: o.baseURL,
          maxRetries: 0,
          timeout: timeoutMs,
          fetch: transport,
        }),
      };
    }
    return cached.client;
  };

  async function withRetries<T>(call: () => Promise<T>, cancelled: () => boolean, signal?: AbortSignal): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (e) {
        // Neither a caller's abort nor a missing key is the upstream's failure: never retried.
        if (e instanceof APIUserAbortError || e instanceof CancelledError || e instanceof MissingApiKeyError || cancelled()) throw e;
        const answered = e instanceof APIError || e instanceof UpstreamAnswer;
        const status = answered && typeof e.status === 'number' ? e.status : null;
        const headers = e instanceof UpstreamAnswer ? e.headers : e instanceof APIError && e.headers instanceof Headers ? e.headers : null;
        const body = e instanceof APIError ? asErrorBody(e.error) : e instanceof UpstreamAnswer ? asErrorBody(e.body) : null;
        const decision = retryDecision(attempt, status, headers, policy, body?.error.type ?? null);
        if (!decision.retry) {
          const detail = e instanceof Error ? e.message : String(e);
          // No answer at all (refused, reset, timed out): say where Sluice was calling.
          const message = body?.error.message ?? (status !== null ? detail : `Sluice: no answer from the Anthropic API at ${o.baseURL} (${detail}).`);
          throw new UpstreamError(message, status, body, headers, classifyFailure(status, body?.error.type));
        }
        o.onRetry?.({ attempt: attempt + 1, status, delayMs: decision.delayMs, reason: decision.reason });
        await sleep(decision.delayMs, signal);
        if (cancelled()) throw new CancelledError();
      }
    }
  }

  async function directPost(path: string, body: Uint8Array, opts: PostOptions): Promise<UpstreamReply> {
    const key = o.apiKey();
    if (!key) throw new MissingApiKeyError();
    const headers = headerList(DIRECT_DEFAULTS, opts.headers, 'x-api-key', key);
    let res: UpstreamReply;
    try {
      poster ??= createUpstreamPoster(o.baseURL, timeoutMs);
      res = await poster({ path: path + (opts.search ?? ''), headers, body, cancel: opts.cancel });
    } catch (e) {
      if (e instanceof CancelledError) throw e;
      // No answer (refused, reset, timed out): the SDK's APIConnectionError, status null for the retry policy.
      throw new APIConnectionError({ message: (e as Error).message, cause: e as Error });
    }
    if (res.ok) return res;
    const text = (await readAll(res.body)).toString('utf8');
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { type: 'error', error: { type: 'api_error', message: text.slice(0, 500) || `HTTP ${res.status}` } };
    }
    throw new UpstreamAnswer(res.status, headerLookup(res.headers), parsed);
  }

  return {
    baseURL: o.baseURL,
    hasKey: () => Boolean(o.apiKey()),
    sdk,
    // The gateway's hot path: one POST of bytes we already have, answered as a Node stream. The SDK's
    // request building (headers, options, promise layers) cost a third of the gateway's allocations
    // per request, so this goes straight to a socket pool; errors keep the SDK's meaning.
    post: (path, body, opts = {}) => withRetries(() => directPost(path, body, opts), () => opts.cancel?.aborted === true),
    get: (path, opts = {}) =>
      withRetries(
        () => sdk().get(path, { query: opts.query, headers: opts.headers ?? {}, signal: opts.signal, maxRetries: 0 }).asResponse(),
        () => opts.signal?.aborted === true,
        opts.signal,
      ),
  };
}

/** What the SDK sends when the caller names no version; Claude Code and the SDKs always name one. */
const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';
const USER_AGENT = 'sluice-gateway';
const DIRECT_DEFAULTS: Readonly<Record<string, string>> = {
  accept: 'application/json',
  'content-type': 'application/json',
  'anthropic-version': DEFAULT_ANTHROPIC_VERSION,
  'user-agent': USER_AGENT,
};

/**
 * `{ ...defaults, ...given, [lastName]: lastValue }` as a flat name/value list, without building the
 * merged object. Names are lower-case in `defaults` and `given` (as `forwardableHeaders` makes them).
 */
export function headerList(defaults: Readonly<Record<string, string>>, given: Readonly<Record<string, string>> | undefined, lastName: string, lastValue: string): string[] {
  const out: string[] = [];
  for (const k in defaults) {
    if (given?.[k] === undefined) out.push(k, defaults[k] as string);
  }
  if (given) {
    for (const k in given) if (k !== lastName) out.push(k, given[k] as string);
  }
  out.push(lastName, lastValue);
  return out;
}

/** An HTTP error answer from the upstream on the direct path (the SDK's APIError, without its machinery). */
class UpstreamAnswer extends Error {
  constructor(
    readonly status: number,
    readonly headers: HeaderLookup,
    readonly body: unknown,
  ) {
    super(`upstream ${status}`);
  }
}

function asErrorBody(x: unknown): { type: 'error'; error: { type: string; message: string } } | null {
  if (typeof x !== 'object' || x === null) return null;
  const inner = (x as { error?: unknown }).error;
  const e = typeof inner === 'object' && inner !== null ? (inner as { type?: unknown; message?: unknown }) : (x as { type?: unknown; message?: unknown });
  if (typeof e.type !== 'string' || e.type === 'error') return null;
  return { type: 'error', error: { type: e.type, message: typeof e.message === 'string' ? e.message : e.type } };
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new Error('aborted'));
    }, { once: true });
  });
}
