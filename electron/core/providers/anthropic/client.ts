import Anthropic, { APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { createHttpFetch } from './http-fetch';
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
    readonly headers: Headers | null,
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

export interface AnthropicProvider {
  readonly baseURL: string;
  hasKey(): boolean;
  /** POSTs a JSON body (bytes, forwarded verbatim) and returns the raw response after retries; throws UpstreamError. */
  post(path: string, body: Uint8Array, opts?: SendOptions): Promise<Response>;
  /** GET with the same retry policy. */
  get(path: string, opts?: SendOptions): Promise<Response>;
  /** The typed SDK client for calls Sluice makes itself (batches, `sluice ask`). */
  sdk(): Anthropic;
}

const FORWARDED_HEADERS = new Set(['anthropic-version', 'anthropic-beta']);

export function forwardableHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    const key = k.toLowerCase();
    if (FORWARDED_HEADERS.has(key) && v !== undefined) out[key] = Array.isArray(v) ? v.join(',') : v;
  }
  return out;
}

export function createAnthropicProvider(o: AnthropicProviderOptions): AnthropicProvider {
  const policy = o.retry ?? DEFAULT_RETRY_POLICY;
  const sleep = o.sleep ?? defaultSleep;
  let cached: { key: string; client: Anthropic } | null = null;
  // One transport (and its keep-alive pools) for the provider's life, across key changes.
  const transport = o.fetch ?? createHttpFetch();

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
          timeout: o.timeoutMs ?? 10 * 60 * 1000,
          fetch: transport,
        }),
      };
    }
    return cached.client;
  };

  async function withRetries(call: (client: Anthropic) => Promise<Response>, signal?: AbortSignal): Promise<Response> {
    const client = sdk();
    for (let attempt = 0; ; attempt++) {
      try {
        return await call(client);
      } catch (e) {
        if (e instanceof APIUserAbortError || signal?.aborted) throw e;
        const status = e instanceof APIError && typeof e.status === 'number' ? e.status : null;
        const headers = e instanceof APIError && e.headers instanceof Headers ? e.headers : null;
        const body = e instanceof APIError ? asErrorBody(e.error) : null;
        const decision = retryDecision(attempt, status, headers, policy, body?.error.type ?? null);
        if (!decision.retry) {
          const message = body?.error.message ?? (e instanceof Error ? e.message : String(e));
          throw new UpstreamError(message, status, body, headers, classifyFailure(status, body?.error.type));
        }
        o.onRetry?.({ attempt: attempt + 1, status, delayMs: decision.delayMs, reason: decision.reason });
        await sleep(decision.delayMs, signal);
      }
    }
  }

  return {
    baseURL: o.baseURL,
    hasKey: () => Boolean(o.apiKey()),
    sdk,
    post: (path, body, opts = {}) =>
      withRetries(
        (client) =>
          client
            .post(path, {
              body,
              query: opts.query,
              headers: { 'content-type': 'application/json', ...(opts.headers ?? {}) },
              signal: opts.signal,
              maxRetries: 0,
            })
            .asResponse(),
        opts.signal,
      ),
    get: (path, opts = {}) =>
      withRetries(
        (client) => client.get(path, { query: opts.query, headers: opts.headers ?? {}, signal: opts.signal, maxRetries: 0 }).asResponse(),
        opts.signal,
      ),
  };
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
