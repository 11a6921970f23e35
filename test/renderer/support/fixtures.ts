import type { AgentRow, BudgetStatus, LocalModel, Overview, PullProgress, RequestRow, Settings, SpendPoint, SpendReport, TaskRow } from '../../../shared/contract';
import { defaultSettings } from '../../../shared/settings';

const DAY = '2026-11-28';

export function budget(o: Partial<BudgetStatus> = {}): BudgetStatus {
  return {
    day: DAY,
    timeZone: 'UTC',
    limitMicros: 10_000_000,
    spentMicros: 4_200_000,
    reservedMicros: 0,
    tokenLimit: null,
    tokensToday: 1_000_000,
    percent: 42,
    thresholds: [50, 80, 95, 100],
    crossed: [],
    policy: 'reject',
    resetsAt: '2026-11-29T00:00:00.000Z',
    state: 'ok',
    ...o,
  };
}

export function agent(i: number, o: Partial<AgentRow> = {}): AgentRow {
  return { id: i, name: `agent-${i}`, kind: 'external', spentTodayMicros: i * 10_000, requestsToday: i, dailyCapMicros: null, lastSeen: null, revoked: false, ...o };
}

export function task(i: number, o: Partial<TaskRow> = {}): TaskRow {
  return {
    id: `t${i}`,
    prompt: `Task number ${i}`,
    project: '/repo',
    state: 'running',
    pausedReason: null,
    priority: 'normal',
    tier: 'strong',
    model: 'claude-sonnet-4-6',
    routeReason: 'as requested',
    currentStep: `Step of task ${i}`,
    turns: 3,
    tokens: { input: 1000 * i, output: 100, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 },
    costMicros: 1000 * i,
    capMicros: null,
    createdAt: '2026-11-28T10:00:00.000Z',
    startedAt: '2026-11-28T10:00:00.000Z',
    finishedAt: null,
    elapsedMs: 65_000,
    error: null,
    branch: null,
    contextTokens: null,
    ...o,
  };
}

export function overview(o: Partial<Overview> = {}): Overview {
  return {
    budget: budget(),
    savings: { actualMicros: 4_200_000, baselineMicros: 9_000_000, savedMicros: 4_800_000, baselineModel: 'claude-sonnet-4-6', assumptions: ['Baseline: every request priced on claude-sonnet-4-6.'] },
    agents: [agent(1), agent(2)],
    tasks: [],
    unknownModelRequests: 0,
    ...o,
  };
}

function hours(spendAt: Record<number, number>): SpendPoint[] {
  return Array.from({ length: 24 }, (_, h) => ({ key: String(h), label: `${String(h).padStart(2, '0')}:00`, micros: spendAt[h] ?? 0, requests: spendAt[h] ? 3 : 0 }));
}

export function spendReport(o: Partial<SpendReport> = {}): SpendReport {
  return {
    day: DAY,
    month: '2026-11',
    byHour: hours({ 9: 1_200_000, 10: 3_000_000 }),
    byDay: [
      { key: '2026-11-27', label: '11-27', micros: 8_000_000, requests: 40 },
      { key: DAY, label: '11-28', micros: 4_200_000, requests: 6 },
    ],
    byModel: [
      { key: 'claude-opus-4-8', label: 'claude-opus-4-8', micros: 3_000_000, requests: 2 },
      { key: 'claude-haiku-4-5', label: 'claude-haiku-4-5', micros: 1_200_000, requests: 4 },
    ],
    byAgent: [{ key: 'claude-1', label: 'claude-1', micros: 4_200_000, requests: 6 }],
    bySession: [],
    tokens: { input: 100_000, output: 5_000, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 300_000 },
    cacheReadShare: 0.75,
    unknownModelRequests: 0,
    ...o,
  };
}

export function emptySpend(): SpendReport {
  return spendReport({ byHour: hours({}), byDay: [], byModel: [], byAgent: [], tokens: { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 }, cacheReadShare: 0 });
}

export function requestRow(i: number, o: Partial<RequestRow> = {}): RequestRow {
  return {
    id: i,
    at: '2026-11-28T10:15:00.000Z',
    agent: 'claude-1',
    session: null,
    taskId: null,
    provider: 'anthropic',
    modelRequested: 'claude-opus-4-8',
    modelUsed: 'claude-opus-4-8',
    routeReason: 'as requested',
    tokens: { input: 1000, output: 50, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 2000 },
    costMicros: 150_000,
    latencyMs: 1200,
    status: 'ok',
    error: null,
    priceFlag: 'ok',
    batch: false,
    ...o,
  };
}

export function settings(o: Partial<Settings> = {}): Settings {
  return { ...defaultSettings('UTC'), dailyBudgetUsd: 10, hasApiKey: false, ...o };
}

export function localModel(name: string, o: Partial<LocalModel> = {}): LocalModel {
  return { name, family: 'llama', parameterSize: '3.2B', quantization: 'Q4_K_M', sizeBytes: 2_000_000_000, contextLength: 131_072, capabilities: ['completion', 'tools'], tooSmallForAgents: false, ...o };
}

export function pull(o: Partial<PullProgress> = {}): PullProgress {
  return { pullId: 'p1', model: 'qwen3-coder:30b', status: 'pulling abc', layers: [], completedBytes: 0, totalBytes: 0, bytesPerSecond: 0, state: 'running', error: null, ...o };
}
