/**
 * What a provider failure means for us, as a pure function of status and body — so retry,
 * fallback and the caller's error are decided in one place and tested without I/O.
 */
export type FailureClass =
  | 'rate_limit'
  | 'overloaded'
  | 'server'
  | 'timeout'
  | 'network'
  | 'auth'
  | 'permission'
  | 'bad_request'
  | 'not_found'
  | 'too_large'
  | 'unknown';

export interface FailureVerdict {
  failureClass: FailureClass;
  retryable: boolean;
  /** Whether another model or provider could serve the request (the router's fallback). */
  shouldFallback: boolean;
}

export function classifyFailure(status: number | null, errorType?: string | null): FailureVerdict {
  if (status === null) return { failureClass: 'network', retryable: true, shouldFallback: true };
  if (status === 529 || errorType === 'overloaded_error') return { failureClass: 'overloaded', retryable: true, shouldFallback: true };
  if (status === 429 || errorType === 'rate_limit_error') return { failureClass: 'rate_limit', retryable: true, shouldFallback: true };
  if (status === 408 || errorType === 'timeout_error') return { failureClass: 'timeout', retryable: true, shouldFallback: true };
  if (status === 401 || errorType === 'authentication_error') return { failureClass: 'auth', retryable: false, shouldFallback: false };
  if (status === 403 || errorType === 'permission_error') return { failureClass: 'permission', retryable: false, shouldFallback: false };
  if (status === 404 || errorType === 'not_found_error') return { failureClass: 'not_found', retryable: false, shouldFallback: true };
  if (status === 413 || errorType === 'request_too_large') return { failureClass: 'too_large', retryable: false, shouldFallback: false };
  if (status >= 500) return { failureClass: 'server', retryable: true, shouldFallback: true };
  if (status >= 400) return { failureClass: 'bad_request', retryable: false, shouldFallback: false };
  return { failureClass: 'unknown', retryable: false, shouldFallback: false };
}

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A retry-after longer than this is not waited for: the error goes back to the caller with it. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 2, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 };

export type RetryDecision = { retry: true; delayMs: number; reason: string } | { retry: false; reason: string };

/** attempt = number of retries already made. `random` is injectable for tests. */
export function retryDecision(
  attempt: number,
  status: number | null,
  headers: { get(name: string): string | null } | null,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  errorType: string | null = null,
  random: () => number = Math.random,
): RetryDecision {
  const verdict = classifyFailure(status, errorType);
  if (!verdict.retryable) return { retry: false, reason: `${verdict.failureClass}: not retryable` };
  if (attempt >= policy.maxRetries) return { retry: false, reason: `gave up after ${attempt} retries` };
  if (headers?.get('x-should-retry') === 'false') return { retry: false, reason: 'upstream said x-should-retry: false' };
  const retryAfter = parseRetryAfter(headers);
  if (retryAfter !== null) {
    if (retryAfter > policy.maxRetryAfterMs) return { retry: false, reason: `retry-after ${Math.round(retryAfter / 1000)} s is longer than we wait` };
    return { retry: true, delayMs: retryAfter, reason: `honouring retry-after (${retryAfter} ms)` };
  }
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  // Jitter down to 75% so many agents retrying at once do not stampede together.
  return { retry: true, delayMs: Math.round(backoff * (1 - 0.25 * random())), reason: `${verdict.failureClass}: exponential backoff` };
}

export function parseRetryAfter(headers: { get(name: string): string | null } | null, nowMs: number = Date.now()): number | null {
  if (!headers) return null;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const s = headers.get('retry-after');
  if (s === null || s.trim() === '') return null;
  if (Number.isFinite(Number(s))) return Math.max(0, Number(s) * 1000);
  const date = Date.parse(s);
  return Number.isFinite(date) ? Math.max(0, date - nowMs) : null;
}
