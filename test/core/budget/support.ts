import type { SettledRequest } from '../../../electron/core/budget/enforcer';
import { ZERO_USAGE } from '../../../shared/usage';

/** A finished Sonnet request at `at` that cost `cost` µ$, as the enforcer records it. */
export function settledRequest(at: number, cost: number, over: Partial<SettledRequest> = {}): SettledRequest {
  return {
    startedAt: at,
    finishedAt: at,
    agentId: null,
    sessionId: null,
    taskId: null,
    provider: 'anthropic',
    modelRequested: 'claude-sonnet-4-6',
    modelUsed: 'claude-sonnet-4-6',
    tier: 'strong',
    routeReason: 'as requested',
    usage: { ...ZERO_USAGE, inputTokens: 10, outputTokens: 5 },
    costMicros: cost,
    baselineMicros: cost,
    priceFlag: 'ok',
    batch: false,
    stream: false,
    latencyMs: 1,
    ttfbMs: 1,
    status: 'ok',
    httpStatus: 200,
    error: null,
    ...over,
  };
}
