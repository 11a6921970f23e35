import type { BudgetStatus, TaskRow } from '../../shared/contract';

/** Plain contract rows for shell tests, with the fields a test cares about overridden. */
export function budget(o: Partial<BudgetStatus> = {}): BudgetStatus {
  return {
    day: '2026-11-28',
    timeZone: 'Europe/London',
    limitMicros: 10_000_000,
    spentMicros: 8_100_000,
    reservedMicros: 0,
    tokenLimit: null,
    tokensToday: 0,
    percent: 81,
    thresholds: [50, 80, 95, 100],
    crossed: [50, 80],
    policy: 'reject',
    resetsAt: '2026-11-29T00:00:00.000Z',
    state: 'warning',
    ...o,
  };
}

export function task(o: Partial<TaskRow> = {}): TaskRow {
  return {
    id: 'task-1',
    prompt: 'Fix the flaky login test',
    project: '/Users/ana/code/shop',
    state: 'running',
    pausedReason: null,
    priority: 'normal',
    tier: 'strong',
    model: 'claude-sonnet-4-6',
    routeReason: 'as requested',
    currentStep: 'Reading src/login.ts',
    turns: 3,
    tokens: { input: 1000, output: 200, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 },
    costMicros: 420_000,
    capMicros: null,
    createdAt: '2026-11-28T10:00:00.000Z',
    startedAt: '2026-11-28T10:00:01.000Z',
    finishedAt: null,
    elapsedMs: 60_000,
    error: null,
    branch: null,
    contextTokens: 12_000,
    ...o,
  };
}
