import { describe, expect, it } from 'vitest';
import { openLedger } from '../../../electron/core/ledger/db';
import { SettingsStore } from '../../../electron/core/ledger/settings-store';
import { BudgetEnforcer, type SettledRequest } from '../../../electron/core/budget/enforcer';
import { LedgerQueries } from '../../../electron/core/ledger/queries';
import { EventBus } from '../../../electron/core/events';
import { ZERO_USAGE, type Usage } from '../../../shared/usage';

const now = Date.parse('2026-11-28T12:00:00Z');

function req(agentId: number, taskId: string | null, usage: Partial<Usage>, cost: number): SettledRequest {
  return {
    startedAt: now, finishedAt: now, agentId, sessionId: null, taskId, provider: 'anthropic', modelRequested: 'm', modelUsed: 'm', tier: null, routeReason: '',
    usage: { ...ZERO_USAGE, ...usage }, costMicros: cost, baselineMicros: cost, priceFlag: 'ok', batch: false, stream: false, latencyMs: 1, ttfbMs: 1, status: 'ok', httpStatus: 200, error: null,
  };
}

describe('cache-read share in the spend report', () => {
  it('is computed per agent and per project of Sluice\'s own tasks', () => {
    const db = openLedger(':memory:');
    const settings = new SettingsStore(db, 'UTC');
    const clock = { now: () => now };
    const enforcer = new BudgetEnforcer(db, settings, clock, new EventBus());
    db.prepare("INSERT INTO agents (id, name, created_at) VALUES (1, 'a', 'x'), (2, 'b', 'x')").run();
    db.prepare("INSERT INTO tasks (id, prompt, project, created_at, updated_at) VALUES ('t1', 'p', '/code/app', 'x', 'x'), ('t2', 'p', '/code/site', 'x', 'x')").run();
    enforcer.settle(null, req(1, 't1', { inputTokens: 100, cacheReadTokens: 900 }, 50));
    enforcer.settle(null, req(1, 't1', { inputTokens: 500, cacheWrite5mTokens: 500 }, 80));
    enforcer.settle(null, req(2, 't2', { inputTokens: 1000 }, 30));
    const report = new LedgerQueries(db, settings, clock).spendReport();
    expect(report.byAgent.map((p) => [p.key, p.cacheReadShare])).toEqual([['a', 0.45], ['b', 0]]);
    expect(report.byProject?.map((p) => [p.key, p.label, p.micros, p.cacheReadShare])).toEqual([
      ['/code/app', 'code/app', 130, 0.45],
      ['/code/site', 'code/site', 30, 0],
    ]);
  });
});
