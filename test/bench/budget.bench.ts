// Issue 2 benchmarks: overspend under concurrency, admit+settle overhead, ledger throughput,
// and the UI's aggregation queries over 1 million requests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openLedger } from '../../electron/core/ledger/db';
import { SettingsStore } from '../../electron/core/ledger/settings-store';
import { BudgetEnforcer, type SettledRequest } from '../../electron/core/budget/enforcer';
import { LedgerQueries } from '../../electron/core/ledger/queries';
import { EventBus } from '../../electron/core/events';
import { ZERO_USAGE } from '../../shared/usage';
import { summarize, fmt } from './stats';

function record(cost: number, now: number, agentId: number): SettledRequest {
  return {
    startedAt: now, finishedAt: now, agentId, sessionId: `s${agentId}`, taskId: null, provider: 'anthropic',
    modelRequested: 'claude-sonnet-4-6', modelUsed: 'claude-sonnet-4-6', tier: 'strong', routeReason: 'as requested',
    usage: { ...ZERO_USAGE, inputTokens: 1000, outputTokens: 100 }, costMicros: cost, baselineMicros: cost, priceFlag: 'ok',
    batch: false, stream: true, latencyMs: 10, ttfbMs: 5, status: 'ok', httpStatus: 200, error: null,
  };
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

export default async function bench(log: (line: string) => void): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-'));
  try {
    // 1. Overspend: 50 concurrent agents hammer a $1.00 limit with random sizes; real async interleaving.
    let maxSettled = 0;
    let minSettled = Infinity;
    const overheads: number[] = [];
    for (let run = 0; run < 20; run++) {
      const db = openLedger(path.join(dir, `run${run}`));
      const settings = new SettingsStore(db, 'UTC');
      settings.update({ dailyBudgetUsd: 1 });
      const now = Date.now();
      const enforcer = new BudgetEnforcer(db, settings, { now: () => now }, new EventBus());
      for (let a = 1; a <= 50; a++) db.prepare('INSERT INTO agents (id, name, created_at) VALUES (?, ?, ?)').run(a, `agent${a}`, new Date().toISOString());
      const random = rng(run + 1);
      const agent = async (id: number) => {
        for (let i = 0; i < 40; i++) {
          const worst = Math.round(2_000 + random() * 40_000); // $0.002–$0.042 worst case
          const t0 = performance.now();
          const adm = enforcer.admit({ agentId: id, amountMicros: worst, tokens: 1000 });
          const t1 = performance.now();
          if (!adm.ok) {
            await new Promise((r) => setTimeout(r, random() * 2));
            continue;
          }
          await new Promise((r) => setTimeout(r, random() * 3)); // the request is in flight
          const t2 = performance.now();
          enforcer.settle(adm.reservation, record(Math.round(worst * (0.3 + 0.7 * random())), now, id));
          overheads.push((t1 - t0 + (performance.now() - t2)) * 1000);
        }
      };
      await Promise.all(Array.from({ length: 50 }, (_, i) => agent(i + 1)));
      const spent = enforcer.status().spentMicros;
      maxSettled = Math.max(maxSettled, spent);
      minSettled = Math.min(minSettled, spent);
      db.close();
    }
    log(`overspend: 50 agents × 40 requests vs a $1.00 limit, 20 runs: max settled $${(maxSettled / 1e6).toFixed(6)} (never above $1.00: ${maxSettled <= 1_000_000}), min settled $${(minSettled / 1e6).toFixed(4)} → unused headroom ${fmt(((1_000_000 - minSettled) / 1_000_000) * 100)}% at worst`);
    const o = summarize(overheads);
    log(`admit + settle overhead (50 concurrent agents, file-backed WAL ledger): p50 ${fmt(o.p50)} µs, p99 ${fmt(o.p99)} µs (n=${overheads.length})`);

    // 2. Ledger throughput: settled requests per second.
    const db = openLedger(path.join(dir, 'big'));
    const settings = new SettingsStore(db, 'UTC');
    const now = Date.now();
    const enforcer = new BudgetEnforcer(db, settings, { now: () => now }, new EventBus());
    for (let a = 1; a <= 50; a++) db.prepare('INSERT INTO agents (id, name, created_at) VALUES (?, ?, ?)').run(a, `agent${a}`, new Date().toISOString());
    const n = 20_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) enforcer.settle(null, record(1000 + (i % 500), now, (i % 50) + 1));
    const secs = (performance.now() - t0) / 1000;
    log(`ledger: ${Math.round(n / secs).toLocaleString('en-US')} settled requests/s (each its own transaction: request row + daily totals)`);

    // 3. Aggregations over 1 million requests (bulk-inserted across 30 days; today holds 1/30).
    const day0 = new Date(now);
    db.exec(`
      WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 1000000)
      INSERT INTO requests (started_at, finished_at, budget_day, hour, agent_id, session_id, provider, model_requested, model_used,
        route_reason, input_tokens, output_tokens, cache_read_tokens, cost_micros, baseline_micros, status)
      SELECT '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z',
        date('${day0.toISOString().slice(0, 10)}', '-' || (i % 30) || ' days'), i % 24, (i % 50) + 1, 's' || (i % 400), 'anthropic',
        'claude-sonnet-4-6', CASE i % 3 WHEN 0 THEN 'claude-sonnet-4-6' WHEN 1 THEN 'claude-haiku-4-5' ELSE 'claude-opus-4-8' END,
        'as requested', 1000, 100, 500, 1000 + i % 100, 2000, 'ok' FROM seq;
    `);
    // In production settle() maintains the hourly rollup row by row; here we build it in bulk.
    db.exec(`DELETE FROM spend_hourly;
      INSERT INTO spend_hourly (budget_day, hour, agent_id, model, requests, cost_micros, baseline_micros, input_tokens, output_tokens,
        cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, unknown_price)
      SELECT budget_day, hour, COALESCE(agent_id, 0), model_used, COUNT(*), SUM(cost_micros), SUM(baseline_micros), SUM(input_tokens),
        SUM(output_tokens), SUM(cache_write_5m_tokens), SUM(cache_write_1h_tokens), SUM(cache_read_tokens), SUM(price_flag = 'unknown_model')
      FROM requests WHERE status != 'rejected' GROUP BY budget_day, hour, COALESCE(agent_id, 0), model_used;`);
    const q = new LedgerQueries(db, settings, { now: () => now });
    const today = q.today();
    const time = (name: string, f: () => unknown) => {
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const s = performance.now();
        f();
        runs.push(performance.now() - s);
      }
      const r = summarize(runs);
      log(`  ${name.padEnd(22)} p50 ${fmt(r.p50, 2)} ms  max ${fmt(r.max, 2)} ms`);
    };
    log(`aggregations over ${(db.prepare('SELECT COUNT(*) AS n FROM requests').get() as { n: number }).n.toLocaleString('en-US')} requests (today's share ≈ 1/30):`);
    time('spend today by hour', () => q.spendByHour(today));
    time('by day this month', () => q.spendByDay(today.slice(0, 7)));
    time('by model today', () => q.spendByModel(today));
    time('by agent today', () => q.spendByAgent(today));
    time('by session today', () => q.spendBySession(today));
    time('tokens by kind today', () => q.tokensByKind(today));
    time('whole spend report', () => q.spendReport());
    time('30-day usage by model', () => q.usageBy('model', '2000-01-01', '2100-01-01'));
    db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
