import { describe, expect, it } from 'vitest';
import { classifyFailure, parseRetryAfter, retryDecision, DEFAULT_RETRY_POLICY } from '../../../../electron/core/providers/anthropic/failure';

const headers = (h: Record<string, string>) => new Headers(h);

describe('classifyFailure', () => {
  it('sorts statuses into what we can retry and where we can fall back', () => {
    expect(classifyFailure(529)).toEqual({ failureClass: 'overloaded', retryable: true, shouldFallback: true });
    expect(classifyFailure(429)).toMatchObject({ failureClass: 'rate_limit', retryable: true });
    expect(classifyFailure(500)).toMatchObject({ failureClass: 'server', retryable: true });
    expect(classifyFailure(null)).toMatchObject({ failureClass: 'network', retryable: true });
    expect(classifyFailure(401)).toMatchObject({ failureClass: 'auth', retryable: false, shouldFallback: false });
    expect(classifyFailure(400)).toMatchObject({ failureClass: 'bad_request', retryable: false });
    expect(classifyFailure(413)).toMatchObject({ failureClass: 'too_large', retryable: false });
    expect(classifyFailure(200, 'overloaded_error')).toMatchObject({ failureClass: 'overloaded' });
  });
});

describe('retryDecision', () => {
  it('honours retry-after', () => {
    expect(retryDecision(0, 429, headers({ 'retry-after': '2' }))).toEqual({ retry: true, delayMs: 2000, reason: 'honouring retry-after (2000 ms)' });
    expect(retryDecision(0, 529, headers({ 'retry-after-ms': '150' }))).toMatchObject({ retry: true, delayMs: 150 });
  });
  it('backs off exponentially with jitter, capped', () => {
    const d0 = retryDecision(0, 529, null, DEFAULT_RETRY_POLICY, null, () => 0);
    const d1 = retryDecision(1, 529, null, DEFAULT_RETRY_POLICY, null, () => 0);
    expect(d0).toMatchObject({ retry: true, delayMs: 500 });
    expect(d1).toMatchObject({ retry: true, delayMs: 1000 });
    const capped = retryDecision(9, 529, null, { ...DEFAULT_RETRY_POLICY, maxRetries: 20 }, null, () => 0);
    expect(capped).toMatchObject({ retry: true, delayMs: DEFAULT_RETRY_POLICY.maxDelayMs });
    const jittered = retryDecision(0, 529, null, DEFAULT_RETRY_POLICY, null, () => 1);
    expect(jittered).toMatchObject({ retry: true, delayMs: 375 });
  });
  it('gives up after the last retry, on a long retry-after, when told not to, and on client errors', () => {
    expect(retryDecision(2, 529, null)).toMatchObject({ retry: false });
    expect(retryDecision(0, 429, headers({ 'retry-after': '3600' }))).toMatchObject({ retry: false });
    expect(retryDecision(0, 500, headers({ 'x-should-retry': 'false' }))).toMatchObject({ retry: false });
    expect(retryDecision(0, 400, null)).toMatchObject({ retry: false, reason: 'bad_request: not retryable' });
  });
  it('reads an HTTP-date retry-after', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(parseRetryAfter(headers({ 'retry-after': 'Sat, 28 Nov 2026 12:00:30 GMT' }), now)).toBe(30_000);
  });
});
