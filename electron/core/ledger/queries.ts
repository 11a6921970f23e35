import { syncLedger, type Db } from './db';
import type { SettingsStore } from './settings-store';
import type { Clock } from '../events';
import { budgetDay } from '../../../shared/budget-day';
import type { AgentRow, RequestFilter, RequestRow, SpendPoint, SpendReport, TokensByKind } from '../../../shared/contract';

interface RequestDbRow {
  id: number;
  started_at: string;
  agent: string | null;
  session_id: string | null;
  task_id: string | null;
  provider: 'anthropic' | 'ollama';
  model_requested: string;
  model_used: string;
  route_reason: string;
  input_tokens: number;
  output_tokens: number;
  cache_write_5m_tokens: number;
  cache_write_1h_tokens: number;
  cache_read_tokens: number;
  cost_micros: number;
  latency_ms: number | null;
  status: RequestRow['status'];
  error: string | null;
  price_flag: 'ok' | 'unknown_model';
  batch: number;
}

const SETTLED = "status != 'rejected'";

/** The UI's aggregations, as SQL over indexed columns — never loops over requests in JS. */
export class LedgerQueries {
  constructor(
    private readonly db: Db,
    private readonly settings: SettingsStore,
    private readonly clock: Clock,
  ) {}

  today(): string {
    return budgetDay(this.clock.now(), this.settings.get().timeZone);
  }

  spendByHour(day: string): SpendPoint[] {
    syncLedger(this.db);
    const rows = this.db
      .prepare<[string], { hour: number; micros: number; n: number }>(
        'SELECT hour, SUM(cost_micros) AS micros, SUM(requests) AS n FROM spend_hourly WHERE budget_day = ? GROUP BY hour',
      )
      .all(day);
    const byHour = new Map(rows.map((r) => [r.hour, r]));
    return Array.from({ length: 24 }, (_, h) => ({
      key: String(h),
      label: `${String(h).padStart(2, '0')}:00`,
      micros: byHour.get(h)?.micros ?? 0,
      requests: byHour.get(h)?.n ?? 0,
    }));
  }

  /** Per day of a month (YYYY-MM), from the running daily totals. */
  spendByDay(month: string): SpendPoint[] {
    syncLedger(this.db);
    return this.db
      .prepare<[string, string], { day: string; micros: number; n: number }>(
        'SELECT budget_day AS day, spent_micros AS micros, requests AS n FROM daily_spend WHERE agent_id = 0 AND budget_day >= ? AND budget_day < ? ORDER BY budget_day',
      )
      .all(`${month}-01`, `${month}-32`)
      .map((r) => ({ key: r.day, label: r.day.slice(5), micros: r.micros, requests: r.n }));
  }

  spendByModel(day: string): SpendPoint[] {
    syncLedger(this.db);
    return this.db
      .prepare<[string], { model: string; micros: number; n: number }>(
        'SELECT model, SUM(cost_micros) AS micros, SUM(requests) AS n FROM spend_hourly WHERE budget_day = ? GROUP BY model ORDER BY micros DESC',
      )
      .all(day)
      .map((r) => ({ key: r.model, label: r.model, micros: r.micros, requests: r.n }));
  }

  spendByAgent(day: string): SpendPoint[] {
    syncLedger(this.db);
    const shares = new Map(
      this.db
        .prepare<[string], { agent_id: number; cr: number; prompt: number }>(
          `SELECT agent_id, SUM(cache_read_tokens) AS cr,
             SUM(input_tokens + cache_write_5m_tokens + cache_write_1h_tokens + cache_read_tokens) AS prompt
           FROM spend_hourly WHERE budget_day = ? GROUP BY agent_id`,
        )
        .all(day)
        .map((r) => [r.agent_id, r.prompt > 0 ? r.cr / r.prompt : 0]),
    );
    return this.db
      .prepare<[string], { id: number; name: string; micros: number; n: number }>(
        'SELECT a.id AS id, a.name AS name, d.spent_micros AS micros, d.requests AS n FROM daily_spend d JOIN agents a ON a.id = d.agent_id WHERE d.budget_day = ? ORDER BY micros DESC',
      )
      .all(day)
      .map((r) => ({ key: r.name, label: r.name, micros: r.micros, requests: r.n, cacheReadShare: shares.get(r.id) ?? 0 }));
  }

  /** Sluice's own tasks by project folder, with each project's cache-read share (agents on one project share a prefix). */
  spendByProject(day: string): SpendPoint[] {
    syncLedger(this.db);
    return this.db
      .prepare<[string], { project: string; micros: number; n: number; cr: number; prompt: number }>(
        `SELECT t.project AS project, SUM(r.cost_micros) AS micros, COUNT(*) AS n, SUM(r.cache_read_tokens) AS cr,
           SUM(r.input_tokens + r.cache_write_5m_tokens + r.cache_write_1h_tokens + r.cache_read_tokens) AS prompt
         FROM requests r JOIN tasks t ON t.id = r.task_id
         WHERE r.budget_day = ? AND r.${SETTLED} GROUP BY t.project ORDER BY micros DESC`,
      )
      .all(day)
      .map((r) => ({ key: r.project, label: r.project.split('/').filter(Boolean).slice(-2).join('/') || r.project, micros: r.micros, requests: r.n, cacheReadShare: r.prompt > 0 ? r.cr / r.prompt : 0 }));
  }

  spendBySession(day: string, limit = 50): SpendPoint[] {
    syncLedger(this.db);
    return this.db
      .prepare<[string, number], { session: string; micros: number; n: number }>(
        `SELECT session_id AS session, SUM(cost_micros) AS micros, COUNT(*) AS n FROM requests
         WHERE budget_day = ? AND session_id IS NOT NULL AND ${SETTLED} GROUP BY session_id ORDER BY micros DESC LIMIT ?`,
      )
      .all(day, limit)
      .map((r) => ({ key: r.session, label: r.session.length > 24 ? `${r.session.slice(0, 24)}…` : r.session, micros: r.micros, requests: r.n }));
  }

  tokensByKind(day: string): TokensByKind {
    syncLedger(this.db);
    const r = this.db
      .prepare<[string], { i: number | null; o: number | null; w5: number | null; w1: number | null; cr: number | null }>(
        `SELECT SUM(input_tokens) AS i, SUM(output_tokens) AS o, SUM(cache_write_5m_tokens) AS w5, SUM(cache_write_1h_tokens) AS w1,
                SUM(cache_read_tokens) AS cr FROM spend_hourly WHERE budget_day = ?`,
      )
      .get(day);
    return { input: r?.i ?? 0, output: r?.o ?? 0, cacheWrite5m: r?.w5 ?? 0, cacheWrite1h: r?.w1 ?? 0, cacheRead: r?.cr ?? 0 };
  }

  /** Actual cost and the no-Sluice baseline for a day. */
  savings(day: string): { actual: number; baseline: number } {
    syncLedger(this.db);
    const r = this.db
      .prepare<[string], { a: number | null; b: number | null }>('SELECT SUM(cost_micros) AS a, SUM(baseline_micros) AS b FROM spend_hourly WHERE budget_day = ?')
      .get(day);
    return { actual: r?.a ?? 0, baseline: r?.b ?? 0 };
  }

  unknownModelRequests(day: string): number {
    syncLedger(this.db);
    return (
      this.db
        .prepare<[string], { n: number | null }>('SELECT SUM(unknown_price) AS n FROM spend_hourly WHERE budget_day = ?')
        .get(day)?.n ?? 0
    );
  }

  spendReport(month?: string): SpendReport {
    const day = this.today();
    const m = month ?? day.slice(0, 7);
    const tokens = this.tokensByKind(day);
    const prompt = tokens.input + tokens.cacheRead + tokens.cacheWrite5m + tokens.cacheWrite1h;
    return {
      day,
      month: m,
      byHour: this.spendByHour(day),
      byDay: this.spendByDay(m),
      byModel: this.spendByModel(day),
      byAgent: this.spendByAgent(day),
      bySession: this.spendBySession(day),
      byProject: this.spendByProject(day),
      tokens,
      cacheReadShare: prompt > 0 ? tokens.cacheRead / prompt : 0,
      unknownModelRequests: this.unknownModelRequests(day),
    };
  }

  agents(day: string = this.today()): AgentRow[] {
    syncLedger(this.db);
    return this.db
      .prepare<[string], { id: number; name: string; kind: 'external' | 'task'; cap: number | null; last: string | null; revoked: string | null; micros: number | null; n: number | null }>(
        `SELECT a.id, a.name, a.kind, a.daily_cap_micros AS cap, a.last_seen_at AS last, a.revoked_at AS revoked, d.spent_micros AS micros, d.requests AS n
         FROM agents a LEFT JOIN daily_spend d ON d.agent_id = a.id AND d.budget_day = ? ORDER BY a.name`,
      )
      .all(day)
      .map((r) => ({
        id: r.id,
        name: r.name,
        kind: r.kind,
        spentTodayMicros: r.micros ?? 0,
        requestsToday: r.n ?? 0,
        dailyCapMicros: r.cap,
        lastSeen: r.last,
        revoked: r.revoked !== null,
      }));
  }

  requests(f: RequestFilter): RequestRow[] {
    syncLedger(this.db);
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (f.day) {
      where.push('r.budget_day = ?');
      args.push(f.day);
    } else if (f.month) {
      where.push('r.budget_day >= ? AND r.budget_day < ?');
      args.push(`${f.month}-01`, `${f.month}-32`);
    }
    if (f.hour !== undefined) {
      where.push('r.hour = ?');
      args.push(f.hour);
    }
    if (f.model) {
      where.push('r.model_used = ?');
      args.push(f.model);
    }
    if (f.agent) {
      where.push('a.name = ?');
      args.push(f.agent);
    }
    if (f.session) {
      where.push('r.session_id = ?');
      args.push(f.session);
    }
    const limit = Math.min(Math.max(1, f.limit ?? 100), 1000);
    const sql = `SELECT r.id, r.started_at, a.name AS agent, r.session_id, r.task_id, r.provider, r.model_requested, r.model_used, r.route_reason,
        r.input_tokens, r.output_tokens, r.cache_write_5m_tokens, r.cache_write_1h_tokens, r.cache_read_tokens, r.cost_micros, r.latency_ms,
        r.status, r.error, r.price_flag, r.batch
      FROM requests r LEFT JOIN agents a ON a.id = r.agent_id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY r.id DESC LIMIT ${limit}`;
    return this.db.prepare<(string | number)[], RequestDbRow>(sql).all(...args).map(toRequestRow);
  }

  usageBy(by: 'agent' | 'model' | 'day' | 'session', from: string, to: string): { key: string; micros: number; requests: number; tokens: TokensByKind }[] {
    syncLedger(this.db);
    type Row = { k: string; micros: number; n: number; i: number; o: number; w5: number; w1: number; cr: number };
    const sums = `SUM(cost_micros) AS micros, SUM(n) AS n, SUM(i) AS i, SUM(o) AS o, SUM(w5) AS w5, SUM(w1) AS w1, SUM(cr) AS cr`;
    // Sessions are not in the hourly rollup; everything else is.
    const sql =
      by === 'session'
        ? `SELECT k, ${sums} FROM (SELECT COALESCE(session_id, '(none)') AS k, cost_micros, 1 AS n, input_tokens AS i, output_tokens AS o,
             cache_write_5m_tokens AS w5, cache_write_1h_tokens AS w1, cache_read_tokens AS cr
             FROM requests WHERE budget_day >= ? AND budget_day <= ? AND ${SETTLED}) GROUP BY k ORDER BY micros DESC`
        : `SELECT k, ${sums} FROM (SELECT ${{ agent: "COALESCE(a.name, '(none)')", model: 'h.model', day: 'h.budget_day' }[by]} AS k, h.cost_micros,
             h.requests AS n, h.input_tokens AS i, h.output_tokens AS o, h.cache_write_5m_tokens AS w5, h.cache_write_1h_tokens AS w1,
             h.cache_read_tokens AS cr FROM spend_hourly h LEFT JOIN agents a ON a.id = h.agent_id
             WHERE h.budget_day >= ? AND h.budget_day <= ?) GROUP BY k ORDER BY micros DESC`;
    return this.db
      .prepare<[string, string], Row>(sql)
      .all(from, to)
      .map((r) => ({ key: r.k, micros: r.micros, requests: r.n, tokens: { input: r.i, output: r.o, cacheWrite5m: r.w5, cacheWrite1h: r.w1, cacheRead: r.cr } }));
  }
}

function toRequestRow(r: RequestDbRow): RequestRow {
  return {
    id: r.id,
    at: r.started_at,
    agent: r.agent,
    session: r.session_id,
    taskId: r.task_id,
    provider: r.provider,
    modelRequested: r.model_requested,
    modelUsed: r.model_used,
    routeReason: r.route_reason,
    tokens: { input: r.input_tokens, output: r.output_tokens, cacheWrite5m: r.cache_write_5m_tokens, cacheWrite1h: r.cache_write_1h_tokens, cacheRead: r.cache_read_tokens },
    costMicros: r.cost_micros,
    latencyMs: r.latency_ms,
    status: r.status,
    error: r.error,
    priceFlag: r.price_flag,
    batch: r.batch === 1,
  };
}
