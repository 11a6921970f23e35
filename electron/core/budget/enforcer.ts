import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import { beforeTransactions, dataVersion, holdsWrites, type Db } from '../ledger/db';
import type { SettingsStore } from '../ledger/settings-store';
import type { EventBus, Clock } from '../events';
import type { BudgetPolicy, BudgetStatus } from '../../../shared/contract';
import type { Micros } from '../../../shared/money';
import type { Usage } from '../../../shared/usage';
import { totalTokens } from '../../../shared/usage';
import { budgetDay, localHour, nextReset } from '../../../shared/budget-day';
import { budgetState, decideAdmission, refusalMessage, type AdmitDecision, type BudgetLoad } from '../../../shared/budget';
import type { StoredSettings } from '../../../shared/settings';
import { LEASE_REQUESTS, leaseExtra, nextLeaseSize, type Lease } from './lease';
import { prepareSettleStatements, writeSettlements, type SettleOutcome, type SettleRow } from './settle-writes';
import { inlineWriter, type SettleWriter } from './settle-thread';

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
  /**
   * Admit from this process's budget lease (see lease.ts): in memory while the lease covers it. For
   * the gateway's stream of short requests; the reservation must stay in this process.
   */
  lease?: boolean;
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
  pending: PendingSettle[];
  req: AdmitRequest;
  s: StoredSettings;
  now: number;
  day: string;
  agentId: number;
  limits: { dailyLimitMicros: Micros | null; dailyTokenLimit: number | null; agentCapMicros: Micros | null };
  amount: Micros;
  tokens: number;
}

/** A settlement waiting for the next write (see `settleSoon`). */
interface PendingSettle {
  reservation: Reservation | null;
  lease: Lease | null;
  r: SettledRequest;
  day: string;
  hour: number;
  tokens: number;
  id: number;
  done: ((id: number) => void) | null;
  failed: ((e: Error) => void) | null;
}

/**
 * Settlements wait at most this long for a write. A commit per request (WAL frames for the request
 * row, its indexes and the spend rows) was the largest cost of a gateway request after Node's HTTP.
 * In-process readers flush first (`flush`), so they never see the ledger behind; another process
 * sees a settlement this much later, with its reservation still held meanwhile.
 */
const SETTLE_WINDOW_MS = 10;

/**
 * The write window when a settle thread commits: a batch no longer holds the event loop, so batches
 * can be larger and fewer. Each one wakes the thread and then the event loop for its answer, and
 * makes this connection's caches look at the ledger again (another connection committed): at 10 ms,
 * under 500 requests/s on two cores, that cost more at p99 than the thread saved.
 */
const SETTLE_THREAD_WINDOW_MS = 50;

/** A lease with nothing in flight is handed back after this long without use. */
const LEASE_IDLE_MS = 2_000;

function leaseKey(day: string, agentId: number): string {
  return `${day}|${agentId}`;
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
  };
  /** This process's leases by `day|agent`, and the lease behind each leased reservation id. */
  private readonly leases = new Map<string, Lease>();
  private readonly leasedBy = new Map<string, Lease>();
  private leaseSeq = 0;
  /** Settlements not yet written: one transaction writes all that finished within a write window. */
  private pending: PendingSettle[] = [];
  /** Batches handed to the writer and not yet committed (a settle thread's are in flight a moment). */
  private readonly submitted = new Set<PendingSettle[]>();
  private readonly inline: SettleWriter;
  private writer: SettleWriter;
  private flushQueued = false;
  /** Thresholds crossed inside a transaction, announced after it commits. */
  private crossed: number[] = [];
  private readonly leaseIdleMs: number;
  private readonly inlineWindowMs: number;
  private settleWindowMs: number;
  private lastFlushAt = -Infinity;
  /** Commits this enforcer made (settlements, admissions), for `percentSpent`'s memo. */
  private writes = 0;
  private spentMemo: { day: string; version: number; writes: number; spent: Micros } | null = null;

  constructor(
    private readonly db: Db,
    private readonly settings: SettingsStore,
    private readonly clock: Clock,
    private readonly events: EventBus,
    private readonly pid: number = process.pid,
    opts: { leaseIdleMs?: number; settleWindowMs?: number } = {},
  ) {
    this.leaseIdleMs = opts.leaseIdleMs ?? LEASE_IDLE_MS;
    this.inlineWindowMs = opts.settleWindowMs ?? SETTLE_WINDOW_MS;
    this.settleWindowMs = this.inlineWindowMs;
    holdsWrites(db, () => this.flush());
    beforeTransactions(db, () => this.writer.drain());
    this.q = {
      ...prepareSettleStatements(db),
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
      crossedToday: db.prepare<[string], { percent: number }>("SELECT percent FROM threshold_events WHERE budget_day = ? AND scope = 'daily' ORDER BY percent"),
    };
    this.tx = {
      admit: db.transaction((a: AdmitTxArgs) => this.admitInTx(a)),
    };
    this.inline = inlineWriter(db, this.q);
    this.writer = this.inline;
  }

  /**
   * Where settlement batches are committed from now on: a settle thread (see settle-thread.ts), or
   * null for this thread. What is waiting is written first.
   */
  settleOn(writer: SettleWriter | null, windowMs = writer ? SETTLE_THREAD_WINDOW_MS : this.inlineWindowMs): void {
    this.flush();
    this.writer = writer ?? this.inline;
    this.settleWindowMs = windowMs;
  }

  private day(now = this.clock.now()): string {
    return budgetDay(now, this.settings.get().timeZone);
  }

  admit(req: AdmitRequest): Admission {
    const s = this.settings.get();
    const now = this.clock.now();
    const day = budgetDay(now, s.timeZone);
    const agentId = req.agentId ?? 0;
    const agentCapMicros = req.agentCapMicros ?? null;
    const amount = Math.max(0, Math.ceil(req.amountMicros));
    const tokens = Math.max(0, Math.ceil(req.tokens));
    if (req.lease) {
      const lease = this.leases.get(leaseKey(day, agentId));
      if (lease && (lease.settingsRef !== s || lease.agentCapMicros !== agentCapMicros)) {
        // The limits it was carved under changed: decide against the ledger again.
        this.closeLease(lease);
      } else if (lease && lease.remaining >= amount && lease.remainingTokens >= tokens) {
        return { ok: true, reservation: this.takeFromLease(lease, amount, tokens) };
      }
    }
    const limits = { dailyLimitMicros: limitMicros(s), dailyTokenLimit: s.dailyTokenLimit, agentCapMicros };
    const pending = this.pending;
    this.pending = [];
    let admission: Admission;
    try {
      admission = this.tx.admit.immediate({ req, s, now, day, agentId, limits, amount, tokens, pending });
    } catch (e) {
      // Rolled back: the settlements wait for the next write, as if this transaction never ran.
      for (const it of pending) it.id = -1;
      this.crossed = [];
      this.pending = pending.concat(this.pending);
      throw e;
    }
    this.writes += 1;
    this.afterCommit(pending);
    return admission;
  }

  /** Inside admit's IMMEDIATE transaction (built once: a transaction wrapper per call was measurable garbage). */
  private admitInTx(a: AdmitTxArgs): Admission {
    const { req, s, now, day, agentId, limits, amount, tokens } = a;
    // Settlements waiting for a write go in the same transaction.
    this.settleInTx(a.pending);
    const lease = req.lease ? this.leases.get(leaseKey(day, agentId)) : undefined;
    // What this process's leases hold unused goes back first, so the decision below is exact.
    this.returnAllUnused();
    const load = this.load(day, agentId);
    const decision = decideAdmission(amount, tokens, limits, load);
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
    const size = lease ? nextLeaseSize(lease.size, now - lease.toppedUpAt) : LEASE_REQUESTS;
    const extra = req.lease ? leaseExtra(amount, tokens, limits, load, size) : null;
    if (extra) {
      let l: Lease;
      if (lease) {
        l = lease;
        l.size = size;
        l.toppedUpAt = now;
        this.q.growReservation.run(amount + extra.micros, tokens + extra.tokens, l.id);
      } else {
        l = {
          id: `lease-${crypto.randomUUID()}`,
          day,
          agentId,
          remaining: 0,
          remainingTokens: 0,
          outstanding: 0,
          taken: 0,
          settingsRef: s,
          agentCapMicros: limits.agentCapMicros,
          size,
          toppedUpAt: now,
          closed: false,
          idleTimer: null,
        };
        this.q.insertReservation.run(l.id, day, agentId, amount + extra.micros, tokens + extra.tokens, this.pid, new Date(now).toISOString());
        this.leases.set(leaseKey(day, agentId), l);
      }
      l.remaining = amount + extra.micros;
      l.remainingTokens = tokens + extra.tokens;
      return { ok: true, reservation: this.takeFromLease(l, amount, tokens) };
    }
    const reservation: Reservation = { id: crypto.randomUUID(), day, agentId, amountMicros: amount, tokens };
    this.q.insertReservation.run(reservation.id, day, agentId, amount, tokens, this.pid, new Date(now).toISOString());
    return { ok: true, reservation };
  }

  private takeFromLease(lease: Lease, amount: Micros, tokens: number): Reservation {
    lease.remaining -= amount;
    lease.remainingTokens -= tokens;
    lease.outstanding += 1;
    lease.taken += 1;
    const id = `${lease.id}#${++this.leaseSeq}`;
    this.leasedBy.set(id, lease);
    return { id, day: lease.day, agentId: lease.agentId, amountMicros: amount, tokens };
  }

  /** A leased request is over: what it held but did not spend returns to the lease. */
  private giveBack(lease: Lease, reservation: Reservation, spentMicros: Micros, spentTokens: number): void {
    this.leasedBy.delete(reservation.id);
    lease.remaining += reservation.amountMicros - spentMicros;
    lease.remainingTokens += reservation.tokens - spentTokens;
    lease.outstanding -= 1;
    if (lease.outstanding === 0) this.armIdle(lease);
  }

  /** Inside a transaction: the lease's row keeps only what its requests in flight hold. */
  private returnUnused(lease: Lease): void {
    if (lease.remaining !== 0 || lease.remainingTokens !== 0) this.q.shrinkReservation.run(lease.remaining, lease.remainingTokens, lease.id);
    lease.remaining = 0;
    lease.remainingTokens = 0;
  }

  private returnAllUnused(): void {
    for (const l of this.leases.values()) this.returnUnused(l);
  }

  /** Leased requests admitted and not yet settled or released (none, once every request is over). */
  leasedInFlight(): number {
    return this.leasedBy.size;
  }

  /** Ends a lease: it admits no more, hands back what it does not use, and its row goes with its last request. */
  private closeLease(lease: Lease): void {
    if (lease.closed) return;
    lease.closed = true;
    this.leases.delete(leaseKey(lease.day, lease.agentId));
    if (lease.idleTimer) clearTimeout(lease.idleTimer);
    lease.idleTimer = null;
    this.flush();
    if (lease.outstanding === 0) this.q.deleteReservation.run(lease.id);
    else this.db.transaction(() => this.returnUnused(lease)).immediate();
  }

  private armIdle(lease: Lease): void {
    if (lease.closed) {
      // Its last request settled: the row goes once that settlement is written.
      this.flush();
      this.q.deleteReservation.run(lease.id);
      return;
    }
    if (lease.idleTimer) return;
    const takenBefore = lease.taken;
    lease.idleTimer = setTimeout(() => {
      lease.idleTimer = null;
      if (lease.closed) return;
      // Used since the timer was set: look again later rather than churn the lease.
      if (lease.outstanding > 0 || lease.taken !== takenBefore) {
        if (lease.outstanding === 0) this.armIdle(lease);
      } else this.closeLease(lease);
    }, this.leaseIdleMs);
    lease.idleTimer.unref?.();
  }

  /**
   * Tops up a reservation when the provider reports more input than we estimated. Returns false
   * (and changes nothing) when the extra would cross a limit; the caller then lets the request finish,
   * because the provider has already been charged for its prompt.
   */
  grow(reservation: Reservation, extraMicros: Micros, extraTokens: number, agentCapMicros: Micros | null = null): boolean {
    const micros = Math.max(0, extraMicros);
    const tokens = Math.max(0, extraTokens);
    if (micros === 0 && tokens === 0) return true;
    const lease = this.leasedBy.get(reservation.id) ?? null;
    if (lease && !lease.closed && lease.remaining >= micros && lease.remainingTokens >= tokens) {
      lease.remaining -= micros;
      lease.remainingTokens -= tokens;
    } else {
      const s = this.settings.get();
      this.flush();
      const ok = this.db
        .transaction(() => {
          this.returnAllUnused();
          const d = decideAdmission(
            micros,
            tokens,
            { dailyLimitMicros: limitMicros(s), dailyTokenLimit: s.dailyTokenLimit, agentCapMicros },
            this.load(reservation.day, reservation.agentId),
          );
          if (!d.admit) return false;
          this.q.growReservation.run(micros, tokens, lease ? lease.id : reservation.id);
          return true;
        })
        .immediate();
      if (!ok) return false;
    }
    reservation.amountMicros += micros;
    reservation.tokens += tokens;
    return true;
  }

  /** Records a finished request and releases its reservation, atomically. Returns the request's id. */
  settle(reservation: Reservation | null, r: SettledRequest): number {
    let failure: Error | null = null;
    const item = this.enqueue(reservation, r, null, (e) => (failure = e));
    this.flush();
    if (failure) throw failure;
    return item.id;
  }

  /**
   * `settle` for the gateway: the reservation is given back at once and the record is written with the
   * others that finish within the same write window (`SETTLE_WINDOW_MS`), in one transaction (a commit
   * per request was most of the ledger's cost per request). Until then the ledger still holds the
   * request's reservation, so other processes never see less committed than there is; `done` gets
   * the request's id.
   */
  settleSoon(reservation: Reservation | null, r: SettledRequest, done: (id: number) => void, failed: (e: Error) => void): void {
    this.enqueue(reservation, r, done, failed);
    if (this.flushQueued) return;
    this.flushQueued = true;
    // At most one commit per window: alone, a request is written at once; under load, the requests
    // of a window share one commit.
    const wait = this.lastFlushAt + this.settleWindowMs - performance.now();
    if (wait <= 0) setImmediate(this.flushNow);
    else setTimeout(this.flushNow, wait).unref?.();
  }

  private readonly flushNow = (): void => {
    if (this.flushQueued) this.submit();
  };

  private enqueue(reservation: Reservation | null, r: SettledRequest, done: PendingSettle['done'], failed: PendingSettle['failed']): PendingSettle {
    const s = this.settings.get();
    const tokens = totalTokens(r.usage);
    const lease = reservation ? (this.leasedBy.get(reservation.id) ?? null) : null;
    const item: PendingSettle = {
      reservation,
      lease,
      r,
      day: reservation?.day ?? budgetDay(r.startedAt, s.timeZone),
      hour: localHour(r.startedAt, s.timeZone),
      tokens,
      id: -1,
      done,
      failed,
    };
    this.pending.push(item);
    if (lease && reservation) this.giveBack(lease, reservation, r.costMicros, tokens);
    return item;
  }

  /**
   * Writes every waiting settlement, in one transaction (each alone if the batch fails, so one bad
   * record loses no other), and returns once it and any batch before it are committed.
   */
  flush(): void {
    // Inside a transaction of this connection the settle thread cannot commit (the transaction began
    // with it drained, see beforeTransactions): what waits is written in this transaction.
    if (this.db.inTransaction) this.submit(this.inline);
    else {
      this.submit();
      this.writer.drain();
    }
  }

  /** Hands the waiting settlements to the writer as one batch (committed by the time this returns, inline). */
  private submit(writer = this.writer): void {
    this.flushQueued = false;
    if (this.pending.length === 0) return;
    this.lastFlushAt = performance.now();
    const items = this.pending;
    this.pending = [];
    const s = this.settings.get();
    this.submitted.add(items);
    writer.submit(items.map(settleRow), { limitMicros: limitMicros(s), thresholds: s.thresholds }, (o) => this.committed(items, o));
  }

  private committed(items: PendingSettle[], o: SettleOutcome): void {
    this.submitted.delete(items);
    items.forEach((it, k) => {
      it.id = o.ids[k] ?? -1;
      const e = o.errors[k];
      if (e) it.failed?.(e);
    });
    this.crossed.push(...o.crossed);
    this.writes += 1;
    this.afterCommit(items);
  }

  /** After a commit: ids to their callers, thresholds announced, the UI's budget nudged. */
  private afterCommit(items: PendingSettle[]): void {
    let cost = false;
    for (const it of items) {
      if (it.r.costMicros > 0) cost = true;
      if (it.id >= 0) it.done?.(it.id);
    }
    if (this.crossed.length > 0) {
      const crossed = this.crossed;
      this.crossed = [];
      const budget = this.status();
      for (const percent of crossed) this.events.emit({ type: 'threshold', percent, budget });
      cost = true;
    }
    if (cost) this.scheduleBudgetEvent();
  }

  /** Inside a transaction: records each settlement (its id goes to `it.id`); thresholds crossed are kept for after the commit. */
  private settleInTx(items: readonly PendingSettle[]): void {
    if (items.length === 0) return;
    const s = this.settings.get();
    const { ids, crossed } = writeSettlements(this.q, items, { limitMicros: limitMicros(s), thresholds: s.thresholds });
    items.forEach((it, k) => (it.id = ids[k] as number));
    this.crossed.push(...crossed);
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
    // Written first: their commit may schedule a budget event, which must not outlive the ledger.
    this.flush();
    if (this.budgetTimer) clearTimeout(this.budgetTimer);
    this.budgetTimer = null;
    // Leases go with the process; a request still in flight keeps its own part until it settles.
    for (const lease of [...this.leases.values()]) this.closeLease(lease);
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
    const lease = this.leasedBy.get(reservation.id);
    if (lease) this.giveBack(lease, reservation, 0, 0);
    else {
      if (!this.db.inTransaction) this.writer.drain();
      this.q.deleteReservation.run(reservation.id);
    }
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
    const day = budgetDay(this.clock.now(), s.timeZone);
    // The router asks on every request: read the ledger again only when it may have moved (our own
    // writes, or another process's commit).
    const version = dataVersion(this.db);
    let memo = this.spentMemo;
    const moved = !memo || memo.day !== day || memo.version !== version || memo.writes !== this.writes;
    // While a settle thread holds a batch, the ledger may have it already, and the batch is counted
    // below too: keep today's figure read before it (it has none of the batches in flight).
    if (moved && !(this.submitted.size > 0 && memo?.day === day)) {
      this.writer.drain();
      memo = { day, version: dataVersion(this.db), writes: this.writes, spent: this.q.spent.get(day, 0)?.spent ?? 0 };
      this.spentMemo = memo;
    }
    if (!memo) return 0;
    let spent = memo.spent;
    // Settlements not yet written count already (no transaction just to read).
    for (const it of this.pending) if (it.day === day) spent += it.r.costMicros;
    for (const batch of this.submitted) for (const it of batch) if (it.day === day) spent += it.r.costMicros;
    return limit > 0 ? (spent / limit) * 100 : 100;
  }

  /** What this process's leases hold for requests not yet made (held from others, not in use). */
  private unusedLeased(day: string): Micros {
    let sum = 0;
    for (const l of this.leases.values()) if (l.day === day) sum += Math.max(0, l.remaining);
    return sum;
  }

  status(): BudgetStatus {
    this.flush();
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
      reservedMicros: (reserved?.amount ?? 0) - this.unusedLeased(day),
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

/** A settlement as the writer takes it: plain data, so it can cross to a settle thread. */
function settleRow(it: PendingSettle): SettleRow {
  return {
    r: it.r,
    day: it.day,
    hour: it.hour,
    tokens: it.tokens,
    reservation: it.reservation ? { id: it.reservation.id } : null,
    lease: it.lease ? { id: it.lease.id } : null,
  };
}
