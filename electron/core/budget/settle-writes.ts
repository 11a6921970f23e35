import type Database from 'better-sqlite3';
import type { Micros } from '../../../shared/money';
import { crossedThresholds } from '../../../shared/budget';
import type { SettledRequest } from './enforcer';

/** The ledger writes of settling requests: the SQL half of `BudgetEnforcer.flush`. */

/** One settlement as written: its lease row shrinks by its cost, or else its plain reservation row goes. */
export interface SettleRow {
  readonly r: SettledRequest;
  readonly day: string;
  readonly hour: number;
  readonly tokens: number;
  /** A plain reservation, whose row is deleted (unless the request came from a lease). */
  readonly reservation: { readonly id: string } | null;
  /** The lease the request was admitted from; its cost moves from the lease row to the spend. */
  readonly lease: { readonly id: string } | null;
}

/** What the settlements are measured against (thresholds crossed are marked once per budget day). */
export interface SettleLimits {
  limitMicros: Micros | null;
  thresholds: readonly number[];
}

export interface SettleResult {
  /** Each row's request id, in order. */
  ids: number[];
  /** Daily thresholds crossed for the first time (percent), for after the commit. */
  crossed: number[];
}

/** What committing a batch did: each row's id (-1: not written) and error, and the thresholds crossed. */
export interface SettleOutcome {
  ids: number[];
  errors: Array<Error | null>;
  crossed: number[];
}

export type SettleStatements = ReturnType<typeof prepareSettleStatements>;

export function prepareSettleStatements(db: Database.Database) {
  return {
    spent: db.prepare<[string, number], { spent: number; tokens: number }>('SELECT spent_micros AS spent, tokens FROM daily_spend WHERE budget_day = ? AND agent_id = ?'),
    shrinkReservation: db.prepare('UPDATE reservations SET amount_micros = MAX(0, amount_micros - ?), tokens = MAX(0, tokens - ?) WHERE id = ?'),
    deleteReservation: db.prepare('DELETE FROM reservations WHERE id = ?'),
    insertRequest: db.prepare(`INSERT INTO requests (
          started_at, finished_at, budget_day, hour, agent_id, session_id, task_id, provider, model_requested, model_used, tier,
          route_reason, input_tokens, output_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens,
          cost_micros, baseline_micros, price_flag, batch, stream, latency_ms, ttfb_ms, status, http_status, error, pruned_tokens, prune_note)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    addSpend: db.prepare(`INSERT INTO daily_spend (budget_day, agent_id, spent_micros, tokens, requests) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(budget_day, agent_id) DO UPDATE SET spent_micros = spent_micros + excluded.spent_micros,
          tokens = tokens + excluded.tokens, requests = requests + excluded.requests`),
    addHourly: db.prepare(`INSERT INTO spend_hourly (budget_day, hour, agent_id, model, requests, cost_micros, baseline_micros, input_tokens,
          output_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, unknown_price)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(budget_day, hour, agent_id, model) DO UPDATE SET requests = requests + excluded.requests, cost_micros = cost_micros + excluded.cost_micros,
          baseline_micros = baseline_micros + excluded.baseline_micros, input_tokens = input_tokens + excluded.input_tokens,
          output_tokens = output_tokens + excluded.output_tokens, cache_write_5m_tokens = cache_write_5m_tokens + excluded.cache_write_5m_tokens,
          cache_write_1h_tokens = cache_write_1h_tokens + excluded.cache_write_1h_tokens, cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,
          unknown_price = unknown_price + excluded.unknown_price`),
    markThreshold: db.prepare('INSERT OR IGNORE INTO threshold_events (budget_day, scope, percent, at) VALUES (?, ?, ?, ?)'),
  };
}

/** Settlement batches in their own IMMEDIATE transactions (built once per connection: a wrapper per call was measurable garbage). */
const batchTx = new WeakMap<Database.Database, Database.Transaction<(q: SettleStatements, rows: readonly SettleRow[], limits: SettleLimits) => SettleResult>>();

/**
 * Commits a batch of settlements in one transaction; if that fails, each row in its own, so one bad
 * record loses no other. The write path of `BudgetEnforcer.flush`, on its thread or on a settle thread.
 */
export function commitSettlements(db: Database.Database, q: SettleStatements, rows: readonly SettleRow[], limits: SettleLimits): SettleOutcome {
  let tx = batchTx.get(db);
  if (!tx) batchTx.set(db, (tx = db.transaction(writeSettlements)));
  try {
    const { ids, crossed } = tx.immediate(q, rows, limits);
    return { ids, errors: rows.map(() => null), crossed };
  } catch {
    const out: SettleOutcome = { ids: [], errors: [], crossed: [] };
    for (const row of rows) {
      try {
        const one = tx.immediate(q, [row], limits);
        out.ids.push(one.ids[0] as number);
        out.errors.push(null);
        out.crossed.push(...one.crossed);
      } catch (e) {
        out.ids.push(-1);
        out.errors.push(e instanceof Error ? e : new Error(String(e)));
      }
    }
    return out;
  }
}

/** A batch's sums for one row of spend_hourly. */
interface HourlySum {
  day: string;
  hour: number;
  agentId: number;
  model: string;
  requests: number;
  cost: Micros;
  baseline: Micros;
  input: number;
  output: number;
  write5m: number;
  write1h: number;
  read: number;
  unknown: number;
}

function addHourly(sums: Map<string, HourlySum>, day: string, hour: number, r: SettledRequest): void {
  const agentId = r.agentId ?? 0;
  const key = `${day}|${hour}|${agentId}|${r.modelUsed}`;
  let h = sums.get(key);
  if (!h) {
    h = { day, hour, agentId, model: r.modelUsed, requests: 0, cost: 0, baseline: 0, input: 0, output: 0, write5m: 0, write1h: 0, read: 0, unknown: 0 };
    sums.set(key, h);
  }
  h.requests += 1;
  h.cost += r.costMicros;
  h.baseline += r.baselineMicros;
  h.input += r.usage.inputTokens;
  h.output += r.usage.outputTokens;
  h.write5m += r.usage.cacheWrite5mTokens;
  h.write1h += r.usage.cacheWrite1hTokens;
  h.read += r.usage.cacheReadTokens;
  if (r.priceFlag === 'unknown_model') h.unknown += 1;
}

/** A batch's sums for one row of daily_spend. */
interface SpendSum {
  day: string;
  agentId: number;
  micros: Micros;
  tokens: number;
  requests: number;
}

function addSpend(sums: Map<string, SpendSum>, day: string, agentId: number, micros: Micros, tokens: number): void {
  const key = `${day}|${agentId}`;
  const x = sums.get(key);
  if (x) {
    x.micros += micros;
    x.tokens += tokens;
    x.requests += 1;
  } else sums.set(key, { day, agentId, micros, tokens, requests: 1 });
}

/**
 * Inside a transaction: records each settlement and moves its cost from its reservation to the spend.
 * The spend and hourly rows and the lease rows are written once per batch with the batch's sums: per
 * settlement, six statements made a batch's write cost most of the time the gateway's event loop spent
 * in the ledger.
 */
export function writeSettlements(q: SettleStatements, rows: readonly SettleRow[], limits: SettleLimits): SettleResult {
  const ids: number[] = [];
  const crossed: number[] = [];
  const spend = new Map<string, SpendSum>();
  const hourly = new Map<string, HourlySum>();
  const shrink = new Map<string, { micros: Micros; tokens: number }>();
  /** Today's overall spend so far in this batch, per budget day (for the thresholds each settlement crosses). */
  const running = new Map<string, Micros>();
  for (const { r, day, hour, tokens, reservation, lease } of rows) {
    if (lease) {
      const x = shrink.get(lease.id);
      if (x) {
        x.micros += r.costMicros;
        x.tokens += tokens;
      } else shrink.set(lease.id, { micros: r.costMicros, tokens });
    } else if (reservation) q.deleteReservation.run(reservation.id);
    ids.push(Number(insertRequest(q, r, day, hour).lastInsertRowid));
    if (r.status !== 'rejected') addHourly(hourly, day, hour, r);
    if (r.costMicros > 0 || tokens > 0) {
      addSpend(spend, day, 0, r.costMicros, tokens);
      if (r.agentId) addSpend(spend, day, r.agentId, r.costMicros, tokens);
    }
    const before = running.get(day) ?? q.spent.get(day, 0)?.spent ?? 0;
    running.set(day, before + r.costMicros);
    for (const t of crossedThresholds(before, before + r.costMicros, limits.limitMicros, limits.thresholds)) {
      if (q.markThreshold.run(day, 'daily', t, new Date(r.finishedAt).toISOString()).changes > 0) crossed.push(t);
    }
  }
  for (const [id, x] of shrink) q.shrinkReservation.run(x.micros, x.tokens, id);
  for (const x of spend.values()) q.addSpend.run(x.day, x.agentId, x.micros, x.tokens, x.requests);
  for (const h of hourly.values()) {
    q.addHourly.run(h.day, h.hour, h.agentId, h.model, h.requests, h.cost, h.baseline, h.input, h.output, h.write5m, h.write1h, h.read, h.unknown);
  }
  return { ids, crossed };
}

function insertRequest(q: SettleStatements, r: SettledRequest, day: string, hour: number): Database.RunResult {
  return q.insertRequest.run(
    new Date(r.startedAt).toISOString(),
    new Date(r.finishedAt).toISOString(),
    day,
    hour,
    r.agentId,
    r.sessionId,
    r.taskId,
    r.provider,
    r.modelRequested,
    r.modelUsed,
    r.tier,
    r.routeReason,
    r.usage.inputTokens,
    r.usage.outputTokens,
    r.usage.cacheWrite5mTokens,
    r.usage.cacheWrite1hTokens,
    r.usage.cacheReadTokens,
    r.costMicros,
    r.baselineMicros,
    r.priceFlag,
    r.batch ? 1 : 0,
    r.stream ? 1 : 0,
    r.latencyMs,
    r.ttfbMs,
    r.status,
    r.httpStatus,
    r.error,
    r.prunedTokens ?? 0,
    r.pruneNote ?? null,
  );
}
