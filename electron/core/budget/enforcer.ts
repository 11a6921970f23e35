import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Db } from '../ledger/db';
import type { SettingsStore } from '../ledger/settings-store';
import type { EventBus, Clock } from '../events';
import type { BudgetPolicy, BudgetStatus } from '../../../shared/contract';
import type { Micros } from '../../../shared/money';
import type { Usage } from '../../../shared/usage';
import { totalTokens } from '../../../shared/usage';
import { budgetDay, localHour, nextReset } from '../../../shared/budget-day';
import { budgetState, crossedThresholds, decideAdmission, refusalMessage, type AdmitDecision, type BudgetLoad } from '../../../shared/budget';
import type { StoredSettings } from '../../../shared/settings';

/** The daily limit in micro-dollars, or null when none is set. */
function limitMicros(s: StoredSettings): Micros | null {
  return s.dailyBudgetUsd === null ? null : Math.round(s.dailyBudgetUsd * 1_000_000);
}

export interface Reservation {
  id: string;
  day: string;
  agentId: number;
  amountMicros: Micros;
  tokens: number;
}

export interface AdmitRequest {
  agentId: number | null;
  agentName?: string;
  agentCapMicros?: Micros | null;
  agentPolicy?: BudgetPolicy | null;
  amountMicros: Micros;
  tokens: number;
}

export type Admission =
  | { ok: true; reservation: Reservation }
  | {
      ok: false;
      decision: Extract<AdmitDecision, { admit: false }>;
      policy: BudgetPolicy;
      message: string;
      resetsAtMs: number;
      retryAfterSeconds: number;
    };

/** One finished request, as the ledger records it. */
export interface SettledRequest {
  startedAt: number;
  finishedAt: number;
  agentId: number | null;
  sessionId: string | null;
  taskId: string | null;
  provider: 'anthropic' | 'ollama';
  modelRequested: string;
  modelUsed: string;
  tier: string | null;
  routeReason: string;
  usage: Usage;
  costMicros: Micros;
  baselineMicros: Micros;
  priceFlag: 'ok' | 'unknown_model';
  batch: boolean;
  stream: boolean;
  latencyMs: number | null;
  ttfbMs: number | null;
  status: 'ok' | 'error' | 'aborted' | 'rejected';
  httpStatus: number | null;
  error: string | null;
  prunedTokens?: number;
  pruneNote?: string | null;
}

interface AdmitTxArgs {
  req: AdmitRequest;
  s: StoredSettings;
  now: number;
  day: string;
  agentId: number;
  limits: { dailyLimitMicros: Micros | null; dailyTokenLimit: number | null; agentCapMicros: Micros | null };
  amount: Micros;
  tokens: number;
}

interface SettleTxArgs {
  reservation: Reservation | null;
  r: SettledRequest;
  s: StoredSettings;
  day: string;
  hour: number;
  tokens: number;
  limit: Micros | null;
  crossed: number[];
}

/** Reservations older than this are orphans even if their process looks alive (its pid was reused). */
const ORPHAN_AGE_MS = 6 * 60 * 60 * 1000;

/**
 * The budget enforcer. `admit` reserves a request's worst case inside an IMMEDIATE transaction
 * (so concurrent processes sharing the ledger serialize too); `settle` swaps the reservation for the
 * real cost and records the request in the same transaction, so a crash loses neither.
 */
export class BudgetEnforcer {
  private readonly q;
  private readonly tx: {
    admit: Database.Transaction<(a: AdmitTxArgs) => Admission>;
    settle: Database.Transaction<(a: SettleTxArgs) => number>;
  };

  constructor(
    private readonly db: Db,
    private readonly settings: SettingsStore,
    private readonly clock: Clock,
    private readonly events: EventBus,
    private readonly pid: number = process.pid,
  ) {
    this.q = {
      spent: db.prepare<[string, number], { spent: number; tokens: number }>(
        'SELECT spent_micros AS spent, tokens FROM daily_spend WHERE budget_day = ? AND agent_id = ?',
      ),
      reservedAll: db.prepare<[string], { amount: number | null; tokens: number | null }>(
        'SELECT SUM(amount_micros) AS amount, SUM(tokens) AS tokens FROM reservations WHERE budget_day = ?',
      ),
      reservedAgent: db.prepare<[string, number], { amount: number | null }>(
        'SELECT SUM(amount_micros) AS amount FROM reservations WHERE budget_day = ? AND agent_id = ?',
      ),
      insertReservation: db.prepare(
        'INSERT INTO reservations (id, budget_day, agent_id, amount_micros, tokens, pid, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      growReservation: db.prepare('UPDATE reservations SET amount_micros = amount_micros + ?, tokens = tokens + ? WHERE id = ?'),
      deleteReservation: db.prepare('DELETE FROM reservations WHERE id = ?'),
      insertRequest: db.prepare(`INSERT INTO requests (
          started_at, finished_at, budget_day, hour, agent_id, session_id, task_id, provider, model_requested, model_used, tier,
          route_reason, input_tokens, output_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens,
          cost_micros, baseline_micros, price_flag, batch, stream, latency_ms, ttfb_ms, status, http_status, error, pruned_tokens, prune_note)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      addSpend: db.prepare(`INSERT INTO daily_spend (budget_day, agent_id, spent_micros, tokens, requests) VALUES (?, ?, ?, ?, 1)
        ON CONFLICT(budget_day, agent_id) DO UPDATE SET spent_micros = spent_micros + excluded.spent_micros,
          tokens = tokens + excluded.tokens, requests = requests + 1`),
      addHourly: db.prepare(`INSERT INTO spend_hourly (budget_day, hour, agent_id, model, requests, cost_micros, baseline_micros, input_tokens,
          output_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cache_read_tokens, unknown_price)
        VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(budget_day, hour, agent_id, model) DO UPDATE SET requests = requests + 1, cost_micros = cost_micros + excluded.cost_micros,
          baseline_micros = baseline_micros + excluded.baseline_micros, input_tokens = input_tokens + excluded.input_tokens,
          output_tokens = output_tokens + excluded.output_tokens, cache_write_5m_tokens = cache_write_5m_tokens + excluded.cache_write_5m_tokens,
          cache_write_1h_tokens = cache_write_1h_tokens + excluded.cache_write_1h_tokens, cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,
          unknown_price = unknown_price + excluded.unknown_price`),
      markThreshold: db.prepare('INSERT OR IGNORE INTO threshold_events (budget_day, scope, percent, at) VALUES (?, ?, ?, ?)'),
      crossedToday: db.prepare<[string], { percent: number }>("SELECT percent FROM threshold_events WHERE budget_day = ? AND scope = 'daily' ORDER BY percent"),
    };
    this.tx = {
      admit: db.transaction((a: AdmitTxArgs) => this.admitInTx(a)),
      settle: db.transaction((a: SettleTxArgs) => this.settleInTx(a)),
    };
  }

  private day(now = this.clock.now()): string {
    return budgetDay(now, this.settings.get().timeZone);
  }

  admit(req: AdmitRequest): Admission {
    const s = this.settings.get();
    const now = this.clock.now();
    const day = budgetDay(now, s.timeZone);
    const agentId = req.agentId ?? 0;
    const limits = {
      dailyLimitMicros: limitMicros(s),
      dailyTokenLimit: s.dailyTokenLimit,
      agentCapMicros: req.agentCapMicros ?? null,
    };
    const amount = Math.max(0, Math.ceil(req.amountMicros));
    const tokens = Math.max(0, Math.ceil(req.tokens));
    return this.tx.admit.immediate({ req, s, now, day, agentId, limits, amount, tokens });
  }

  /** Inside admit's IMMEDIATE transaction (built once: a transaction wrapper per call was measurable garbage). */
  private admitInTx(a: AdmitTxArgs): Admission {
    const { req, s, now, day, agentId, limits, amount, tokens } = a;
    const decision = decideAdmission(amount, tokens, limits, this.load(day, agentId));
    if (!decision.admit) {
      const resetsAtMs = nextReset(now, s.timeZone);
      const policy = req.agentPolicy ?? s.policy;
      return {
        ok: false,
        decision,
        policy,
        resetsAtMs,
        retryAfterSeconds: Math.max(1, Math.ceil((resetsAtMs - now) / 1000)),
        message: refusalMessage(decision, { nowMs: now, resetsAtMs, timeZone: s.timeZone, agentName: req.agentName, policy }),
      };
    }
    const reservation: Reservation = { id: crypto.randomUUID(), day, agentId, amountMicros: amount, tokens };
    this.q.insertReservation.run(reservation.id, day, agentId, amount, tokens, this.pid, new Date(now).toISOString());
    return { ok: true, reservation };
  }

  /**
   * Tops up a reservation when the provider reports more input than we estimated. Returns false
   * (and changes nothing) when the extra would cross a limit; the caller then lets the request finish,
   * because the provider has already been charged for its prompt.
   */
  grow(reservation: Reservation, extraMicros: Micros, extraTokens: number, agentCapMicros: Micros | null = null): boolean {
    if (extraMicros <= 0 && extraTokens <= 0) return true;
    const s = this.settings.get();
    const ok = this.db
      .transaction(() => {
        const d = decideAdmission(
          Math.max(0, extraMicros),
          Math.max(0, extraTokens),
          { dailyLimitMicros: limitMicros(s), dailyTokenLimit: s.dailyTokenLimit, agentCapMicros },
          this.load(reservation.day, reservation.agentId),
        );
        if (!d.admit) return false;
        this.q.growReservation.run(Math.max(0, extraMicros), Math.max(0, extraTokens), reservation.id);
        return true;
      })
      .immediate();
    if (ok) {
      reservation.amountMicros += Math.max(0, extraMicros);
      reservation.tokens += Math.max(0, extraTokens);
    }
    return ok;
  }

  /** Records a finished request and releases its reservation, atomically. Returns the request's id. */
  settle(reservation: Reservation | null, r: SettledRequest): number {
    const s = this.settings.get();
    const day = reservation?.day ?? budgetDay(r.startedAt, s.timeZone);
    const hour = localHour(r.startedAt, s.timeZone);
    const tokens = totalTokens(r.usage);
    const limit = limitMicros(s);
    const crossed: number[] = [];
    const id = this.tx.settle.immediate({ reservation, r, s, day, hour, tokens, limit, crossed });
    if (crossed.length > 0) {
      const budget = this.status();
      for (const percent of crossed) this.events.emit({ type: 'threshold', percent, budget });
    }
    if (r.costMicros > 0 || crossed.length > 0) this.scheduleBudgetEvent();
    return id;
  }

/** Inside settle's IMMEDIATE transaction; thresholds crossed are pushed to `a.crossed`. */
  private settleInTx(a: SettleTxArgs): number {
    const { reservation, r, s, day, hour, tokens, limit, crossed } = a;
    const before = this.q.spent.get(day, 0)?.spent ?? 0;
    if (reservation) this.q.deleteReservation.run(reservation.id);
    const info = this.q.insertRequest.run(
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
    if (r.status !== 'rejected') {
      this.q.addHourly.run(day, hour, r.agentId ?? 0, r.modelUsed, r.costMicros, r.baselineMicros, r.usage.inputTokens, r.usage.outputTokens,
        r.usage.cacheWrite5mTokens, r.usage.cacheWrite1hTokens, r.usage.cacheReadTokens, r.priceFlag === 'unknown_model' ? 1 : 0);
    }
    if (r.costMicros > 0 || tokens > 0) {
      this.q.addSpend.run(day, 0, r.costMicros, tokens);
      if (r.agentId) this.q.addSpend.run(day, r.agentId, r.costMicros, tokens);
    }
    for (const t of crossedThresholds(before, before + r.costMicros, limit, s.thresholds)) {
      if (this.q.markThreshold.run(day, 'daily', t, new Date(r.finishedAt).toISOString()).changes > 0) crossed.push(t);
    }
    return Number(info.lastInsertRowid);
  }

    private budgetTimer: NodeJS.Timeout | null = null;

  /** Settled spend and open reservations of a budget day, overall and for one agent (0 = none). */
  private load(day: string, agentId: number): BudgetLoad {
    const all = this.q.spent.get(day, 0);
    const reserved = this.q.reservedAll.get(day);
    const agent = agentId ? this.q.spent.get(day, agentId) : undefined;
    const agentReserved = agentId ? this.q.reservedAgent.get(day, agentId) : undefined;
    return {
      spentMicros: all?.spent ?? 0,
      reservedMicros: reserved?.amount ?? 0,
      tokens: all?.tokens ?? 0,
      reservedTokens: reserved?.tokens ?? 0,
      agentSpentMicros: agent?.spent ?? 0,
      agentReservedMicros: agentReserved?.amount ?? 0,
    };
  }

  /** Drops a pending budget event (the ledger is about to close). */
  stop(): void {
    if (this.budgetTimer) clearTimeout(this.budgetTimer);
    this.budgetTimer = null;
  }

  /** Spend moves on every request; the UI needs it at most ten times a second. */
  private scheduleBudgetEvent(): void {
    if (this.budgetTimer || !this.events.hasListeners()) return;
    this.budgetTimer = setTimeout(() => {
      this.budgetTimer = null;
      this.events.emit({ type: 'budget', budget: this.status() });
    }, 100);
    this.budgetTimer.unref?.();
  }

  /** Releases a reservation without recording anything (the request never reached a provider). */
  release(reservation: Reservation): void {
    this.q.deleteReservation.run(reservation.id);
  }

  /**
   * Reservations whose process is gone (a crash, a kill -9) would hold budget forever.
   * Called at start-up: drops reservations of dead processes, of earlier days, and very old ones.
   */
  releaseOrphans(isAlive: (pid: number) => boolean = processAlive): number {
    const rows = this.db.prepare<[], { id: string; pid: number; budget_day: string; created_at: string }>('SELECT id, pid, budget_day, created_at FROM reservations').all();
    const now = this.clock.now();
    const today = this.day(now);
    const dead = rows.filter(
      (r) => r.pid === this.pid || !isAlive(r.pid) || r.budget_day < today || now - Date.parse(r.created_at) > ORPHAN_AGE_MS,
    );
    const del = this.q.deleteReservation;
    this.db.transaction(() => {
      for (const r of dead) del.run(r.id);
    })();
    return dead.length;
  }

  /** Today's settled spend as a percentage of the daily limit (0 without a limit) — cheap, for routing. */
  percentSpent(): number {
    const s = this.settings.get();
    const limit = limitMicros(s);
    if (limit === null) return 0;
    const spent = this.q.spent.get(this.day(), 0)?.spent ?? 0;
    return limit > 0 ? (spent / limit) * 100 : 100;
  }

  status(): BudgetStatus {
    const s = this.settings.get();
    const now = this.clock.now();
    const day = budgetDay(now, s.timeZone);
    const all = this.q.spent.get(day, 0);
    const reserved = this.q.reservedAll.get(day);
    const limit = limitMicros(s);
    const spent = all?.spent ?? 0;
    const percent = limit ? (spent / limit) * 100 : limit === 0 ? 100 : 0;
    return {
      day,
      timeZone: s.timeZone,
      limitMicros: limit,
      spentMicros: spent,
      reservedMicros: reserved?.amount ?? 0,
      tokenLimit: s.dailyTokenLimit,
      tokensToday: all?.tokens ?? 0,
      percent,
      thresholds: s.thresholds,
      crossed: this.q.crossedToday.all(day).map((r) => r.percent),
      policy: s.policy,
      resetsAt: new Date(nextReset(now, s.timeZone)).toISOString(),
      state: limit === null ? 'ok' : budgetState(percent, s.thresholds),
    };
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
